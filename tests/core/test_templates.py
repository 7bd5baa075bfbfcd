"""A gunicorn worker (gunicorn.conf.py) compiles every template before its first request, so that no
visitor's request waits for a compile, and keeps what it holds by then out of the garbage
collector's full collections."""
import gc
import runpy
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def test_a_worker_compiles_every_template_and_freezes_what_it_holds_before_its_first_request(make_app):
    app = make_app()
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        hooks["post_worker_init"](SimpleNamespace(wsgi=app))      # what gunicorn calls in a new worker
        frozen = gc.get_freeze_count()
    finally:
        gc.unfreeze()                                             # this test process goes on as before
    files = {path.relative_to(ROOT / "templates").as_posix()
             for path in (ROOT / "templates").rglob("*") if path.is_file()}
    compiled = {name for _, name in app.jinja_env.cache}          # Jinja keeps (loader, name) -> template
    assert files and files <= compiled
    assert frozen > 10_000                                        # the app's modules and templates at least


def test_compiled_templates_are_kept_for_the_next_process(make_app, tmp_path, monkeypatch):
    from mipevents.core.web import compile_templates

    folder = tmp_path / "compiled"
    count = compile_templates(make_app(MIPEVENTS_TEMPLATE_CACHE_DIR=str(folder)))
    assert len(list(folder.glob("*.cache"))) == count

    later = make_app(MIPEVENTS_TEMPLATE_CACHE_DIR=str(folder))      # the next worker, or the next start

    def compile_again(*args, **kwargs):
        raise AssertionError("a kept template was compiled again")

    monkeypatch.setattr(later.jinja_env, "compile", compile_again)
    assert compile_templates(later) == count                        # every one loaded from its kept file


def test_a_template_cache_that_cannot_be_made_leaves_each_process_compiling_its_own(make_app, tmp_path, caplog,
                                                                                     monkeypatch):
    import logging

    from mipevents.core.web import compile_templates

    # Alembic's logging set-up in the migration tests disables the loggers that exist by then.
    monkeypatch.setattr(logging.getLogger("mipevents"), "disabled", False)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    app = make_app(MIPEVENTS_TEMPLATE_CACHE_DIR=str(blocker / "compiled"))
    assert app.jinja_env.bytecode_cache is None
    assert "compiled templates are not kept" in caplog.text
    assert compile_templates(app) > 0
