"""Places imported from files: the project's own CSV and GeoJSON exports, read back.

    manage.py import_places FILE --source NAME [--format csv|geojson] [--organisation SLUG]
                            [--wet-run] [--accept-partial] [--report rejets.csv] [--draft]

readers.py turns a file into rows (or a clear `ImportFileError`); service.py checks every
row, reports each problem with its line, column and value, and writes the places through
`directory.services.place_save`, matched on (source, id in the source). Dry run by default.
"""
