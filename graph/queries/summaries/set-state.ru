# Update: record whether the summaries are current ("current <format>") or a write that changes
#   them has begun and not finished ("pending"). Run by graph/summaries.py.
# Param: state -- the new state (a plain string)
DELETE WHERE { GRAPH dr:summaries { dr:summaries dr:summaryState ?old } } ;
INSERT { GRAPH dr:summaries { dr:summaries dr:summaryState ?state } } WHERE { }
