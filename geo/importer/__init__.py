"""Any plan text -> a draft map (`draft`), editing it (`editing`), its outline (`outline`), its fidelity score (`fidelity`)."""
