"""A MongoDB-wire-compatible server for the tests, made of two Debian packages by other hands:
MockupDB (python3-mockupdb, MongoDB Inc.'s wire-protocol server library: OP_QUERY and OP_MSG framing,
BSON, the handshake) and mongomock (python3-mongomock, an in-memory emulation of MongoDB's query,
update, aggregation and index semantics, with MongoDB's error codes). No MongoDB server installs from
Debian or the npm registry here; this is the most faithful one that runs. What it answers is decided by
mongomock, not by us: this file only routes each command to the mongomock call that performs it.

Usage: python3 mongodb-emulator.py [port]; prints "listening <port>" once ready, stops on SIGTERM.
"""

import itertools
import signal
import sys
import threading

import mockupdb
import mongomock
from bson import Int64, ObjectId
from mongomock import DuplicateKeyError, OperationFailure

# Wire version 21 is MongoDB 7.0: drivers 6 and 7 both accept it.
HELLO = {
    'ismaster': True,
    'isWritablePrimary': True,
    'maxWireVersion': 21,
    'minWireVersion': 0,
    'maxBsonObjectSize': 16 * 1024 * 1024,
    'maxMessageSizeBytes': 48000000,
    'maxWriteBatchSize': 100000,
    'logicalSessionTimeoutMinutes': 30,
}

store = mongomock.MongoClient()
cursors = {}
cursor_ids = itertools.count(1000)
lock = threading.Lock()


def batch_reply(request, ns, docs, batch_size, first):
    """A cursor reply: the first batch now, the rest kept for getMore."""
    docs = list(docs)
    size = len(docs) if batch_size in (None, 0) else batch_size
    head, rest = docs[:size], docs[size:]
    cursor_id = 0
    if rest:
        cursor_id = next(cursor_ids)
        cursors[cursor_id] = (ns, rest)
    key = 'firstBatch' if first else 'nextBatch'
    return request.ok(cursor={'id': Int64(cursor_id), 'ns': ns, key: head})


def write_error_reply(request, error, index, counts):
    counts['writeErrors'] = [{'index': index, 'code': error.code or 1, 'errmsg': str(error)}]
    return request.ok(**counts)


def handle(request):
    doc = request.doc
    name = next(iter(doc))
    db_name = doc.get('$db', 'test')
    db = store[db_name]
    with lock:
        try:
            return dispatch(request, name, doc, db, db_name)
        except OperationFailure as error:
            return request.command_err(code=error.code or 1, errmsg=str(error))


def dispatch(request, name, doc, db, db_name):
    lower = name.lower()
    if lower in ('ismaster', 'hello'):
        return request.ok(**HELLO)
    if lower in ('ping', 'endsessions', 'killcursors'):
        for cursor_id in doc.get('cursors', []):
            cursors.pop(cursor_id, None)
        return request.ok()
    if lower == 'buildinfo':
        return request.ok(version='7.0.0', versionArray=[7, 0, 0, 0])
    coll = db[doc[name]] if isinstance(doc[name], str) else None
    ns = '%s.%s' % (db_name, doc[name]) if coll is not None else db_name
    if name == 'find':
        cursor = coll.find(doc.get('filter', {}), doc.get('projection'))
        if doc.get('sort'):
            cursor = cursor.sort(list(doc['sort'].items()))
        if doc.get('skip'):
            cursor = cursor.skip(doc['skip'])
        if doc.get('limit'):
            cursor = cursor.limit(abs(doc['limit']))
        return batch_reply(request, ns, cursor, doc.get('batchSize'), True)
    if name == 'getMore':
        ns, rest = cursors.pop(doc['getMore'], (ns, []))
        request_ns = '%s.%s' % (db_name, doc['collection'])
        return batch_reply(request, request_ns, rest, doc.get('batchSize'), False)
    if name == 'aggregate':
        docs = coll.aggregate(doc.get('pipeline', []))
        return batch_reply(request, ns, docs, doc.get('cursor', {}).get('batchSize'), True)
    if name == 'insert':
        inserted = 0
        for index, item in enumerate(doc.get('documents', [])):
            item.setdefault('_id', ObjectId())
            try:
                coll.insert_one(item)
            except DuplicateKeyError as error:
                return write_error_reply(request, error, index, {'n': inserted})
            inserted += 1
        return request.ok(n=inserted)
    if name == 'update':
        matched = modified = 0
        upserted = []
        for index, statement in enumerate(doc.get('updates', [])):
            update = coll.update_many if statement.get('multi') else coll.update_one
            try:
                result = update(statement['q'], statement['u'], upsert=statement.get('upsert', False))
            except DuplicateKeyError as error:
                return write_error_reply(request, error, index, {'n': matched, 'nModified': modified})
            matched += result.matched_count
            modified += result.modified_count
            if result.upserted_id is not None:
                upserted.append({'index': index, '_id': result.upserted_id})
        reply = {'n': matched + len(upserted), 'nModified': modified}
        if upserted:
            reply['upserted'] = upserted
        return request.ok(**reply)
    if name == 'delete':
        deleted = 0
        for statement in doc.get('deletes', []):
            remove = coll.delete_one if statement.get('limit') == 1 else coll.delete_many
            deleted += remove(statement['q']).deleted_count
        return request.ok(n=deleted)
    if name == 'findAndModify':
        query = doc.get('query', {})
        if doc.get('remove'):
            value = coll.find_one_and_delete(query)
        else:
            value = coll.find_one_and_update(query, doc['update'], upsert=doc.get('upsert', False),
                                             return_document=doc.get('new', False))
        return request.ok(value=value, lastErrorObject={'n': 0 if value is None else 1})
    if name == 'count':
        return request.ok(n=coll.count_documents(doc.get('query', {})))
    if name == 'distinct':
        return request.ok(values=coll.distinct(doc['key'], doc.get('query')))
    if name == 'createIndexes':
        for index in doc.get('indexes', []):
            coll.create_index(list(index['key'].items()), unique=index.get('unique', False), name=index.get('name'))
        return request.ok(numIndexesBefore=1, numIndexesAfter=1 + len(doc.get('indexes', [])))
    if name == 'create':
        db.create_collection(doc['create'])
        return request.ok()
    if name == 'drop':
        db.drop_collection(doc['drop'])
        return request.ok()
    if name == 'dropDatabase':
        store.drop_database(db_name)
        return request.ok()
    if name == 'listCollections':
        names = [{'name': n, 'type': 'collection'} for n in db.list_collection_names()]
        return batch_reply(request, '%s.$cmd.listCollections' % db_name, names, None, True)
    return request.command_err(code=59, errmsg="no such command: '%s'" % name, codeName='CommandNotFound')


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else None
    server = mockupdb.MockupDB(port=port, auto_ismaster=HELLO)
    server.autoresponds(mockupdb.Matcher(), handle)
    bound = server.run()
    print('listening %d' % bound, flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    server.stop()


if __name__ == '__main__':
    main()
