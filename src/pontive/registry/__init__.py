"""What every registry shares (declared in ``core/registry.py``): the store, CSV import and
export, documents, reminders, the console pages and the JSON API."""
