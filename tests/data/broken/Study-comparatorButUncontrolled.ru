# An uncontrolled study with a comparator arm.
# expect: shape:Study-comparatorButUncontrolled
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:role ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:role ibmkg:ActiveComparator } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:role ?old }
