# The header that makes a request the first one after a reservation (middleware.py); run.py sends it.
RESERVATION_HEADER = "X-Bench-Reservation"
