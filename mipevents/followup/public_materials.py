"""The public materials of showcase slots and webinars, many at once (for the API's line-up and webinars)."""
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.followup.models import Material


def _by(column: str, ids: list[int]) -> dict[int, list[Material]]:
    found: dict[int, list[Material]] = {}
    if ids:
        attr = getattr(Material, column)
        for material in db.session.execute(select(Material).where(
                attr.in_(ids), Material.is_public.is_(True)).order_by(Material.id)).scalars():
            found.setdefault(getattr(material, column), []).append(material)
    return found


def public_materials_of_slots(slot_ids: list[int]) -> dict[int, list[Material]]:
    """The public materials (never registrants-only) of these public showcase slots, by slot id, in one query."""
    return _by("slot_id", slot_ids)


def public_materials_of_webinars(webinar_ids: list[int]) -> dict[int, list[Material]]:
    """The public materials (never registrants-only) of these public webinars, by webinar id, in one query."""
    return _by("webinar_id", webinar_ids)
