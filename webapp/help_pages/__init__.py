"""Pages about the site itself: the accessibility statement, the offline page and its service worker."""
