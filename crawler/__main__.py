from crawler.cli import cli

cli()
