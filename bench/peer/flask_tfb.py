"""The Python stack Surge replaces, as a peer: Flask on gunicorn, the TechEmpower test types, psycopg2 with a per-process pool.
bench/compare.sh runs it beside Surge's bench on bench's own database (its world and fortune tables), as:
PEER_PG=postgresql://postgres@127.0.0.1:5432/surge_bench gunicorn -w 2 [-k gthread --threads 8 | -k gevent] -b 127.0.0.1:18200 flask_tfb:app"""
import os, random
from html import escape
from flask import Flask, jsonify, request, Response
from psycopg2.pool import ThreadedConnectionPool

app = Flask(__name__)
_pool = None
def pool():
    global _pool
    if _pool is None:
        _pool = ThreadedConnectionPool(1, int(os.environ.get("PEER_POOL", "8")), os.environ["PEER_PG"])
    return _pool

def run(fn):
    c = pool().getconn()
    try:
        with c.cursor() as cur:
            r = fn(cur); c.commit(); return r
    finally:
        pool().putconn(c)

def count(name):
    try: n = int(request.args.get(name, "1"))
    except ValueError: return 1
    return max(1, min(500, n))

@app.after_request
def server_header(r):
    r.headers["Server"] = "gunicorn-flask"; return r

@app.route("/plaintext")
def plaintext(): return Response("Hello, World!", mimetype="text/plain")

@app.route("/json")
def json_(): return jsonify(message="Hello, World!")

def one(cur):
    cur.execute("SELECT id, randomnumber FROM world WHERE id = %s", (random.randint(1, 10000),))
    i, n = cur.fetchone(); return {"id": i, "randomNumber": n}

@app.route("/db")
def db(): return jsonify(run(one))

@app.route("/queries")
def queries():
    n = count("queries"); return jsonify(run(lambda cur: [one(cur) for _ in range(n)]))

@app.route("/updates")
def updates():
    n = count("queries")
    def fn(cur):
        rows = [one(cur) for _ in range(n)]
        for r in rows: r["randomNumber"] = random.randint(1, 10000)
        cur.executemany("UPDATE world SET randomnumber = %s WHERE id = %s", [(r["randomNumber"], r["id"]) for r in sorted(rows, key=lambda r: r["id"])])
        return rows
    return jsonify(run(fn))

_cache = None
@app.route("/cached-queries")
def cached():
    global _cache
    if _cache is None:
        _cache = dict(run(lambda cur: (cur.execute("SELECT id, randomnumber FROM world"), cur.fetchall())[1]))
    n = count("count")
    return jsonify([{"id": i, "randomNumber": _cache[i]} for i in (random.randint(1, 10000) for _ in range(n))])

@app.route("/fortunes")
def fortunes():
    rows = run(lambda cur: (cur.execute("SELECT id, message FROM fortune"), cur.fetchall())[1])
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda r: r[1])
    body = "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table><tr><th>id</th><th>message</th></tr>" + \
        "".join(f"<tr><td>{i}</td><td>{escape(m)}</td></tr>" for i, m in rows) + "</table></body></html>"
    return Response(body, content_type="text/html; charset=UTF-8")
