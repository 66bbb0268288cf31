# A search count that disagrees with the studies in the graph.
# expect: shape:Review-selectedCount
# severity: Warning
DELETE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected ?old } INSERT { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected 11 } WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected ?old }
