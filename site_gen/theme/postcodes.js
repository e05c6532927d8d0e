// Postal-code centroids near the clinics (from the zipcodes package's offline data), for distance sorting.
window.sitePostcodes = {{ site.postcodes | tojson }};
