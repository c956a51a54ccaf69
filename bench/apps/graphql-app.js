'use strict';
// The GraphQL fixture: express 4 serving a graphql 16 schema (graphql 17, which graphql-http would load,
// needs Node 22, and the official instrumentation stops at 16); each request (GET /graphql?query=...)
// resolves a user whose profile field makes the outgoing GET to the bench's downstream server, and logs
// one line. Resolver spans are on, as both instrumentations default.
const express = require('express');
const { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLNonNull, GraphQLID } = require('graphql-16');
const getJson = require('./get-json.js');

const downstream = `http://127.0.0.1:${Number(process.env.DOWNSTREAM_PORT)}/`;

const Profile = new GraphQLObjectType({ name: 'Profile', fields: { name: { type: GraphQLString } } });
const User = new GraphQLObjectType({
  name: 'User',
  fields: {
    id: { type: GraphQLID },
    profile: { type: Profile, resolve: () => getJson(downstream) },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      user: {
        type: User,
        args: { id: { type: new GraphQLNonNull(GraphQLID) } },
        resolve: (_source, { id }) => {
          console.log('user %s requested', id);
          return { id };
        },
      },
    },
  }),
});

const app = express();
app.get('/graphql', async (req, res) => {
  const result = await graphql({ schema, source: String(req.query.query), variableValues: req.query.variables ? JSON.parse(String(req.query.variables)) : undefined });
  res.status(result.errors ? 400 : 200).json(result);
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log('ready');
});
