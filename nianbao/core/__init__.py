"""The domain core: figure keys, cell values, readers per format, the table reader, titles and
metadata, validation and the parser entry point. Plain Python: no Prefect, Scrapy or database."""
