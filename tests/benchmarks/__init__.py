# The header that makes a request the first one after a reservation (middleware.py); run.py sends it.
RESERVATION_HEADER = "X-Bench-Reservation"
# The same for the first request after the couple publishes: nothing built from the registry's content is cached.
PUBLISH_HEADER = "X-Bench-Publish"
