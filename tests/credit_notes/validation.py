"""Checks of a Factur-X XML against the standard's schema and schematron.

The schema (XSD) and the schematron (compiled to XSLT 2.0, with its code lists) are the
official Factur-X 1.09 EN 16931 files that the `factur-x` package ships; the schematron
carries the EN 16931 business rules (BR-*, BR-S-*, BR-E-*, BR-AE-*, BR-CO-*) and the
Factur-X additions. It runs locally with Saxon (`saxonche`), no server involved.
"""

from functools import cache
from importlib.resources import files

from facturx import xml_check_xsd
from lxml import etree

SCHEMATRON = files("facturx") / "xsd_and_schematron" / "facturx-en16931" / "FACTUR-X_EN16931.xslt"
SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}


def check_schema(xml: bytes) -> None:
    """Raises if the XML is not valid against the Factur-X EN 16931 XSD."""
    xml_check_xsd(xml, flavor="factur-x", level="en16931")


@cache
def _schematron():
    from saxonche import PySaxonProcessor

    processor = PySaxonProcessor(license=False)
    compiler = processor.new_xslt30_processor()
    # compiled from its file, so the stylesheet finds its code list beside it
    return processor, compiler.compile_stylesheet(stylesheet_file=str(SCHEMATRON))


def schematron_errors(xml: bytes) -> list[str]:
    """Every failed assertion of the EN 16931 schematron, as 'location: text' (empty: valid)."""
    processor, executable = _schematron()
    node = processor.parse_xml(xml_text=xml.decode("utf-8"))
    report = executable.transform_to_string(xdm_node=node)
    svrl = etree.fromstring(report.encode("utf-8"))
    return [
        f"{failure.get('location')}: {' '.join(failure.findtext('svrl:text', namespaces=SVRL).split())}"
        for failure in svrl.xpath("//svrl:failed-assert | //svrl:successful-report", namespaces=SVRL)
        if failure.get("flag", "fatal") != "warning"
    ]
