"""``kgpub serve``: the HTTP front end, the query executors and the store they read."""
