# A regimen without its quoted words.
# expect: shape:Regimen-quote
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:quotedText ?old }
