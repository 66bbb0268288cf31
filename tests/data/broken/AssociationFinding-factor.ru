# An association finding without its factor.
# expect: shape:AssociationFinding-factor
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/foreman-2017/finding-2> ibmkg:factor ?old }
