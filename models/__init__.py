"""SQLModel tables: sites, crawl runs, documents, reports, figures, findings."""
