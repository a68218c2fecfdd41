"""Money taken and given back at the studio's desk (cash, card terminal, other), per booking."""
