"""Registration for meetings and webinars: capacity, waitlists, approval, session choices."""
