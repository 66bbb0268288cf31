# An arm with a negative patient count.
# expect: shape:Arm-patientCount
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:patientCount ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:patientCount -1 } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:patientCount ?old }
