"""Pure domain building blocks shared by every service. No I/O may be imported here."""
