# Arms that do not add up to the study's patients.
# expect: shape:Study-armTotals
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/dobloug-2012/arm-ivig> ibmkg:patientCount ?old } INSERT { <https://w3id.org/ibmkg/study/dobloug-2012/arm-ivig> ibmkg:patientCount 15 } WHERE { <https://w3id.org/ibmkg/study/dobloug-2012/arm-ivig> ibmkg:patientCount ?old }
