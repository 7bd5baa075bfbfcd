"""gunicorn's settings beyond its command line (`make run`, the README's deployment and the bench
pass workers, threads and the address): read from the directory gunicorn starts in."""
import gc


def post_worker_init(worker):
    """Before a worker takes its first request: it compiles every template, so that no visitor's
    request (the first after a publish, say) waits for a compile; then it moves what it holds so far
    (modules, the app, compiled templates: about 170,000 objects, all as long-lived as the worker)
    out of the garbage collector's sight. A full collection scanning them took 35–47 ms, paid by
    whichever request set it off; after the freeze it takes well under a millisecond."""
    from mipevents.core.web import compile_templates

    compile_templates(worker.wsgi)
    gc.collect()   # what is garbage now is not kept forever
    gc.freeze()
