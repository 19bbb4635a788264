"""The account: its summary, credits, API usage against the monthly quota, activity and search
history."""
