"""Uploaded slides go through core.storage: in the database by default, in MIPEVENTS_UPLOAD_DIR when
set (the row keeping a key); a file follows its transaction (gone again on rollback, deleted only
once its removal commits); rows kept under either setting stay readable; a key never leaves the store."""
import io

import pytest
from sqlalchemy import select

from mipevents.core import storage
from mipevents.extensions import db
from mipevents.followup import services
from mipevents.followup.models import Material
from tests.followup import files


def _stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_with_an_upload_directory_files_live_there_and_follow_their_transaction(make_app, tmp_path, make_meeting,
                                                                                make_item):
    root = tmp_path / "uploads"
    app = make_app(MIPEVENTS_UPLOAD_DIR=str(root))
    with app.app_context():
        from mipevents.accounts.services import create_user
        user = create_user("staff@mip.test", "correct horse battery staple", role="staff", name="Staff")
        item = make_item(make_meeting(status="published"), title="Flood finance")
        in_the_row = services.add_file(item, title="Old deck", data=files.PDF, max_bytes=10_000, is_public=True,
                                       actor=None)
        in_the_row.data, in_the_row.storage_key = files.PDF, storage.IN_THE_ROW   # as kept before the setting
        db.session.commit()
        _stored_files(root)[0].unlink()
        client = app.test_client()
        client.post("/staff/login", data={"email": user.email, "password": "correct horse battery staple"})
        response = client.post(f"/staff/after/session/{item.id}/materials", content_type="multipart/form-data",
                               data={"title": "Panel slides", "kind": "file", "file": (io.BytesIO(files.PDF), "a.pdf")})
        assert response.status_code == 303
        material = db.session.execute(select(Material).where(Material.title == "Panel slides")).scalar_one()
        [path] = _stored_files(root)
        assert (material.storage_key, path.read_bytes()) == (f"fs:{path.name}", files.PDF)
        assert db.session.execute(select(Material.data).where(Material.id == material.id)).scalar_one() is None
        assert client.get(f"/materials/{material.id}/{material.filename}").data == files.PDF
        assert client.get(f"/materials/{in_the_row.id}/{in_the_row.filename}").data == files.PDF

        services.add_file(item, title="Never saved", data=files.PDF, max_bytes=10_000, is_public=True, actor=None)
        assert len(_stored_files(root)) == 2
        db.session.rollback()
        assert _stored_files(root) == [path]

        assert client.post(f"/staff/after/materials/{material.id}/remove").status_code == 303
        assert _stored_files(root) == []

        for key in ("fs:../../etc/passwd", "fs:" + "0" * 31, "s3:bucket/x"):     # a key stays inside its store
            with pytest.raises(storage.StorageProblem):
                storage.get(key)
