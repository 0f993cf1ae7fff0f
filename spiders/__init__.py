"""Scrapy spiders that find annual reports on county disclosure portals."""
