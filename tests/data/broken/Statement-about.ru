# A statement about a publication instead of a study.
# expect: shape:Statement-about
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/review/fontanelli-2024/statement-timing> ibmkg:aboutStudy pub:foreman-2017 }
