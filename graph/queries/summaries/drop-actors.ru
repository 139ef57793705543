# Update: delete the actor tallies of the actors in VALUES ?actor (every actor as the file stands),
#   before graph/summaries.py writes their recount (count-actors.rq).
# Param: actor -- the actors whose tallies are recounted
DELETE { GRAPH dr:summaries { ?row ?p ?o } }
WHERE { GRAPH dr:summaries { VALUES ?actor { UNDEF } ?row dr:tallyOf ?actor ; a ?kind ; ?p ?o
        FILTER (?kind IN (dr:ActorTally, dr:PairTally, dr:AppealTally, dr:MediationTally)) } }
