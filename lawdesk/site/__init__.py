"""The site's front: the home page, login, the audit log's search and the URL composition of the doors the
apps provide. It sits above every app (it shows what each offers), so the apps below never import it."""
