"""Stands in for saleor_mlm.demo in the demo command's tests."""

calls = []


def load_demo_data(installation, stdout):
    calls.append(installation.saleor_api_url)
    stdout.write("stub demo data loaded")
