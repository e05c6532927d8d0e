// The clinic locator's search index: every clinic, with what a result shows and the words it is found
// by. The locator loads it when someone starts to search (a script, which works opened from disk too).
window.siteClinics = {{ site.get_search_index('clinics/') | tojson }};
