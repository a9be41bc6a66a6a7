"""What the pages show, without Streamlit: the URL's view (`state`), plan data and panels (`model`), the map (`mapview`)."""
