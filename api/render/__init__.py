"""Documents rendered for people: printable timelines."""
