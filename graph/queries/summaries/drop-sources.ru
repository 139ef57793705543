# Update: delete the source tallies of the graphs in VALUES ?source (every source as the file
#   stands), before graph/summaries.py writes their recount (count-sources.rq).
# Param: source -- the named graphs whose tallies are recounted
DELETE { GRAPH dr:summaries { ?row ?p ?o } }
WHERE { GRAPH dr:summaries { VALUES ?source { UNDEF } ?row dr:tallyOf ?source ; a dr:SourceTally ; ?p ?o } }
