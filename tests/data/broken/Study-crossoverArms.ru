# A crossover period with fewer patients than the study.
# expect: shape:Study-crossoverArms
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/dalakas-1997/period-placebo> ibmkg:patientCount ?old } INSERT { <https://w3id.org/ibmkg/study/dalakas-1997/period-placebo> ibmkg:patientCount 18 } WHERE { <https://w3id.org/ibmkg/study/dalakas-1997/period-placebo> ibmkg:patientCount ?old }
