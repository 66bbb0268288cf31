# A case report with two patients.
# expect: shape:CaseReport-patientCount
# severity: Warning
DELETE { study:recher-2012 ibmkg:patientCount ?old } INSERT { study:recher-2012 ibmkg:patientCount 2 } WHERE { study:recher-2012 ibmkg:patientCount ?old }
