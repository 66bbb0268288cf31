# A finding about some patients that does not say how many.
# expect: shape:Finding-someNeedsCount
# severity: Warning
DELETE WHERE { <https://w3id.org/ibmkg/study/amato-1994/finding-2> ibmkg:responders ?old }
