"""The project's one hardened XML parser.

Both sides of the protocol (the connector and the mock InkSoft) parse untrusted XML, and both
use this factory so that one set of rules applies everywhere: no DTD is loaded, no entity is
resolved, nothing is fetched from the network, no huge tree is built, and a document that
carries a DOCTYPE at all is refused outright. The mapping of orders to XML and back is *not*
shared: each side keeps its own.
"""

from __future__ import annotations

import threading

from lxml import etree

__all__ = ["UnsafeXmlError", "XmlError", "XmlSyntaxError", "hardened_parser", "parse_xml"]


class XmlError(ValueError):
    """A document that cannot be accepted."""


class UnsafeXmlError(XmlError):
    """The document declares a DOCTYPE or entities, which this project never accepts."""


class XmlSyntaxError(XmlError):
    """The document is not well-formed XML (or is empty, or not valid in its encoding)."""


def hardened_parser() -> etree.XMLParser:
    """A new lxml parser with every dangerous feature off.

    lxml parsers are not safe to share between threads, so callers that parse from several
    threads should keep one per thread (or call :func:`parse_xml`, which does).
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
    )


_local = threading.local()


def _thread_parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = hardened_parser()
    return parser


def parse_xml(data: bytes) -> etree._Element:
    """Parse ``data`` with the hardened parser and return the root element.

    Raises :class:`UnsafeXmlError` for a DOCTYPE (with or without entity declarations) and
    :class:`XmlSyntaxError` for anything that is not well-formed XML.
    """
    if not data or not data.strip():
        raise XmlSyntaxError("the document is empty")
    try:
        root = etree.fromstring(data, parser=_thread_parser())
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise UnsafeXmlError("DOCTYPE and entity declarations are not accepted") from exc
        raise XmlSyntaxError(f"not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXmlError("DOCTYPE and entity declarations are not accepted")
    return root
