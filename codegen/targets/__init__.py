"""One module per output language: ``App`` in, a frozen, template-ready view model out."""
