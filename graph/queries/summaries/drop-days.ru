# Update: delete the day tallies of the days in VALUES ?day (every day as the file stands), before
#   graph/summaries.py writes their recount (count-days.rq).
# Param: day -- the days whose tallies are recounted
DELETE { GRAPH dr:summaries { ?row ?p ?o } }
WHERE { GRAPH dr:summaries { VALUES ?day { UNDEF } ?row dr:tallyDay ?day ; a dr:DayTally ; ?p ?o } }
