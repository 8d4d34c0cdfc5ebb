"""The neutral core of matching/: pieces every domain app may use, depending on none of them."""
