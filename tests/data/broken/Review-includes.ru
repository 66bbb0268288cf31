# A review that includes no study.
# expect: shape:Review-includes
# severity: Violation
DELETE WHERE { review:fontanelli-2024 ibmkg:includesStudy ?old }
