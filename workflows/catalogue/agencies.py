"""Which agency a row of the province's decision belongs to: the implementing-agency column
(«Cơ quan thực hiện») matched against the agencies' names, short names and codes.

A province's decision lists the procedures of many agencies; commune-level rows often name
«UBND cấp xã» (every commune, ward and special zone) rather than one commune. Pure: the
agencies are passed in, the text folded as search folds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from content_types.agency import AgencyLevel, AgencyPage
from content_types.text import fold_vietnamese

# «UBND cấp xã», «UBND xã, phường, đặc khu»: every commune-level agency.
EVERY_COMMUNE = ("ubnd cap xa", "ubnd xa phuong dac khu", "ubnd xa phuong", "cap xa")


def agency_text_fold(text: str) -> str:
    folded = fold_vietnamese(text or "")
    folded = re.sub(r"[^a-z0-9& ]", " ", folded)
    folded = re.sub(r"\buy ban nhan dan\b", "ubnd", folded)
    return re.sub(r"\s+", " ", folded).strip()


@dataclass
class AgencyMatcher:
    agencies: list[AgencyPage]

    def __post_init__(self) -> None:
        self.names: dict[str, AgencyPage] = {}
        for agency in self.agencies:
            for name in (agency.title, agency.short_name, agency.agency_code):
                folded = agency_text_fold(name or "")
                if folded:
                    self.names.setdefault(folded, agency)

    def _part(self, part: str) -> list[AgencyPage]:
        folded = agency_text_fold(part)
        if not folded:
            return []
        if folded in EVERY_COMMUNE:
            return [a for a in self.agencies if a.level == AgencyLevel.COMMUNE]
        if folded in self.names:
            return [self.names[folded]]
        # «Sở Tư pháp tỉnh Quảng Ninh» for the agency whose short name is «Sở Tư pháp», and
        # «Sở Khoa học và Công nghệ» for «Sở Khoa học và Công nghệ tỉnh Quảng Ninh».
        for name, agency in self.names.items():
            if folded.startswith(name + " tinh ") or name.startswith(folded + " tinh "):
                return [agency]
        return []

    def match(self, text: str) -> list[AgencyPage]:
        """The agencies `text` names: the first part (split at «;» or a line break) that names
        one decides; «Sở Y tế; cơ quan phối hợp: Văn phòng UBND tỉnh» belongs to Sở Y tế."""
        for part in re.split(r"[;\n]", text or ""):
            found = self._part(part)
            if found:
                return found
        return []


def agency_matcher(agencies: Iterable[AgencyPage] | None = None) -> AgencyMatcher:
    if agencies is None:
        agencies = AgencyPage.objects.order_by("path").only(
            "pk", "title", "short_name", "agency_code", "level", "path", "depth"
        )
    return AgencyMatcher(list(agencies))
