"""What the site's pages offer and are checked for: reading level, print fit, QR codes, structured data, the clinic locator."""
