"""Independent test servers written from the providers' public documentation."""
