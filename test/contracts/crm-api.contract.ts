/**
 * The CRM server's contract, driven through the official `@hubspot/api-client` with only its base
 * path changed (issue 6). Every assertion checks the shapes the client hands back, not just that
 * it did not throw. Called once per database by src/crm/crm-api*.test.ts.
 */
import type { AssociationSpecAssociationCategoryEnum as Category } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec.js';
import { FilterOperatorEnum as Op } from '@hubspot/api-client/lib/codegen/crm/objects/calls/models/Filter.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmTestServer, startCrmServer } from '../support/crm-server.js';
import type { TestDatabase } from '../support/databases.js';

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as Category;

export function runCrmApiContract(target: TestDatabase): void {
  describe(`CRM API through @hubspot/api-client: ${target.name}`, () => {
    let s: CrmTestServer;
    let contactId: string;
    let companyId: string;
    beforeAll(async () => {
      s = await startCrmServer(target);
      const contact = await s.client.crm.contacts.basicApi.create({
        properties: { email: 'ana@example.com', firstname: 'Ana', lastname: 'Diaz', phone: '+15550100' },
        associations: [],
      });
      contactId = contact.id;
      const company = await s.client.crm.companies.basicApi.create({
        properties: { name: 'Acme', domain: 'acme.example' },
        associations: [],
      });
      companyId = company.id;
    });
    afterAll(async () => s?.close());

    const newCall = (properties: Record<string, string> = {}) =>
      s.client.crm.objects.calls.basicApi.create({
        properties: {
          hs_timestamp: '2024-01-17T19:55:04.281Z',
          hs_call_title: 'Support call',
          ...properties,
        },
        associations: [],
      });

    it('recording settings: register, get, update; a second register is a 409', async () => {
      const api = s.client.crm.extensions.calling.recordingSettingsApi;
      const registered = await api.registerUrlFormat(4101, {
        urlToRetrieveAuthedRecording: 'https://app.example/recordings/%s',
      });
      expect(registered.urlToRetrieveAuthedRecording).toBe('https://app.example/recordings/%s');
      expect((await api.getUrlFormat(4101)).urlToRetrieveAuthedRecording).toBe(
        'https://app.example/recordings/%s',
      );
      const updated = await api.updateUrlFormat(4101, {
        urlToRetrieveAuthedRecording: 'https://app.example/v2/%s/audio',
      });
      expect(updated.urlToRetrieveAuthedRecording).toBe('https://app.example/v2/%s/audio');
      await expect(
        api.registerUrlFormat(4101, { urlToRetrieveAuthedRecording: 'https://app.example/%s' }),
      ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
      await expect(api.getUrlFormat(4999)).rejects.toMatchObject({
        code: 404,
        body: { category: 'OBJECT_NOT_FOUND' },
      });
      const stored = await s.system.crm.settings.findRecording(4101);
      expect(stored?.urlToRetrieveAuthedRecording).toBe('https://app.example/v2/%s/audio');
    });

    it('calling settings: create, read, update, archive', async () => {
      const api = s.client.crm.extensions.calling.settingsApi;
      const created = await api.create(4102, {
        name: 'Dialer',
        url: 'https://dialer.example/widget',
        height: 500,
        width: 350,
        isReady: false,
        supportsCustomObjects: false,
        supportsInboundCalling: true,
        usesCallingWindow: true,
        usesRemote: false,
      });
      expect(created).toMatchObject({
        name: 'Dialer',
        url: 'https://dialer.example/widget',
        height: 500,
        width: 350,
      });
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await api.getById(4102)).toMatchObject({ name: 'Dialer', supportsInboundCalling: true });
      expect(await api.update(4102, { isReady: true, name: 'Dialer 2' })).toMatchObject({
        isReady: true,
        name: 'Dialer 2',
      });
      await api.archive(4102);
      await expect(api.getById(4102)).rejects.toMatchObject({ code: 404 });
    });

    it('calls: create with an inline association, get with properties and associations, update, archive', async () => {
      const calls = s.client.crm.objects.calls.basicApi;
      const created = await calls.create({
        properties: {
          hs_timestamp: '1705521304281',
          hs_call_title: 'Support call',
          hs_call_status: 'COMPLETED',
          hs_call_direction: 'OUTBOUND',
          hs_call_duration: 61000 as unknown as string,
          hs_call_body: '<p>Talked about <b>pricing</b></p>',
        },
        associations: [
          {
            to: { id: contactId },
            types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 194 }],
          },
        ],
      });
      expect(created.id).toMatch(/^\d+$/);
      expect(created.properties).toMatchObject({
        hs_object_id: created.id,
        hs_timestamp: '2024-01-17T19:55:04.281Z',
        hs_call_duration: '61000',
        hs_body_preview: 'Talked about pricing',
      });
      expect(created.createdAt).toBeInstanceOf(Date);

      const read = await calls.getById(
        created.id,
        ['hs_call_title', 'hs_call_status', 'hs_call_to_number'],
        undefined,
        ['contacts'],
      );
      expect(read.properties).toMatchObject({
        hs_call_title: 'Support call',
        hs_call_status: 'COMPLETED',
        hs_call_to_number: null,
        hs_object_id: created.id,
      });
      expect(read.associations?.['contacts']?.results).toEqual([{ id: contactId, type: 'call_to_contact' }]);

      const updated = await calls.update(created.id, {
        properties: { hs_call_status: 'NO_ANSWER', hs_call_body: '' },
      });
      expect(updated.properties['hs_call_status']).toBe('NO_ANSWER');
      expect(updated.properties['hs_call_body']).toBeUndefined();

      await calls.archive(created.id);
      await expect(calls.getById(created.id)).rejects.toMatchObject({
        code: 404,
        body: { category: 'OBJECT_NOT_FOUND' },
      });
      const archived = await calls.getById(created.id, undefined, undefined, undefined, true);
      expect(archived.archived).toBe(true);
    });

    it('calls: list pages with after/limit; the last page has no paging', async () => {
      for (let i = 0; i < 3; i++) await newCall({ hs_call_title: `page ${i}` });
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      do {
        const page = await s.client.crm.objects.calls.basicApi.getPage(2, after, ['hs_call_title']);
        pages++;
        expect(page.results.length).toBeLessThanOrEqual(2);
        seen.push(...page.results.map((r) => r.id));
        after = page.paging?.next?.after;
      } while (after);
      expect(pages).toBeGreaterThanOrEqual(2);
      expect(new Set(seen).size).toBe(seen.length);
      const all = await s.client.crm.objects.calls.basicApi.getPage(100);
      expect(all.results.map((c) => c.id)).toEqual(seen);
      const past = await s.client.crm.objects.calls.basicApi.getPage(10, String(Number(seen.at(-1)) + 1000));
      expect(past.results).toEqual([]);
      expect(past.paging).toBeUndefined();
    });

    it('calls: batch create, read (207 for missing ids), update, archive', async () => {
      const batch = s.client.crm.objects.calls.batchApi;
      const created = await batch.create({
        inputs: [
          { properties: { hs_timestamp: '2024-02-01T10:00:00Z', hs_call_title: 'b1' }, associations: [] },
          {
            properties: { hs_timestamp: '2024-02-01T11:00:00Z', hs_call_title: 'b2' },
            associations: [
              {
                to: { id: companyId },
                types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 182 }],
              },
            ],
          },
        ],
      });
      expect(created.status).toBe('COMPLETE');
      expect(created.results.map((r) => r.properties['hs_call_title']).sort()).toEqual(['b1', 'b2']);
      const ids = created.results.map((r) => r.id);

      const read = await batch.read({
        inputs: ids.map((id) => ({ id })),
        properties: ['hs_call_title'],
        propertiesWithHistory: [],
      });
      expect(read.results.map((r) => r.properties['hs_call_title']).sort()).toEqual(['b1', 'b2']);
      const partial = await batch.read({
        inputs: [{ id: ids[0]! }, { id: '999999' }],
        properties: [],
        propertiesWithHistory: [],
      });
      expect(partial.results).toHaveLength(1);
      expect(partial).toMatchObject({
        numErrors: 1,
        errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999'] } }],
      });

      const updated = await batch.update({
        inputs: ids.map((id) => ({ id, properties: { hs_call_status: 'COMPLETED' } })),
      });
      expect(updated.results.every((r) => r.properties['hs_call_status'] === 'COMPLETED')).toBe(true);

      await batch.archive({ inputs: ids.map((id) => ({ id })) });
      const gone = await batch.read({
        inputs: ids.map((id) => ({ id })),
        properties: [],
        propertiesWithHistory: [],
      });
      expect(gone.results).toEqual([]);
    });

    it('calls: search with EQ, NEQ, GT, LT, BETWEEN, HAS_PROPERTY, IN, sorts and paging', async () => {
      const mk = (title: string, ts: string, extra: Record<string, string> = {}) =>
        newCall({ hs_call_title: title, hs_timestamp: ts, hs_call_duration: '0', ...extra });
      const a = await mk('search alpha', '2023-05-01T00:00:00Z', {
        hs_call_status: 'COMPLETED',
        hs_call_duration: '1000',
      });
      const b = await mk('search beta', '2023-05-02T00:00:00Z', {
        hs_call_status: 'BUSY',
        hs_call_duration: '5000',
      });
      const c = await mk('search gamma', '2023-05-03T00:00:00Z', {
        hs_call_status: 'COMPLETED',
        hs_call_duration: '9000',
        hs_call_to_number: '+1555',
      });
      const search = (filters: object[], extra: object = {}) =>
        s.client.crm.objects.calls.searchApi.doSearch({
          filterGroups: [
            {
              filters: [
                { propertyName: 'hs_call_title', operator: Op.ContainsToken, value: 'search' },
                ...filters,
              ],
            },
          ],
          properties: ['hs_call_title', 'hs_call_status'],
          limit: 10,
          after: '0',
          sorts: ['hs_timestamp'],
          ...extra,
        } as never);
      const titles = (r: { results: { properties: Record<string, string | null> }[] }) =>
        r.results.map((x) => x.properties['hs_call_title']);

      const eq = await search([{ propertyName: 'hs_call_status', operator: Op.Eq, value: 'COMPLETED' }]);
      expect(eq.total).toBe(2);
      expect(titles(eq)).toEqual(['search alpha', 'search gamma']);
      expect(eq.results[0]!.properties).toMatchObject({ hs_call_status: 'COMPLETED', hs_object_id: a.id });
      expect(
        titles(await search([{ propertyName: 'hs_call_status', operator: Op.Neq, value: 'COMPLETED' }])),
      ).toEqual(['search beta']);
      expect(
        titles(await search([{ propertyName: 'hs_call_duration', operator: Op.Gt, value: '1000' }])),
      ).toEqual(['search beta', 'search gamma']);
      expect(
        titles(await search([{ propertyName: 'hs_call_duration', operator: Op.Lt, value: '5000' }])),
      ).toEqual(['search alpha']);
      const between = await search([
        {
          propertyName: 'hs_timestamp',
          operator: Op.Between,
          value: String(Date.parse('2023-05-01T12:00:00Z')),
          highValue: String(Date.parse('2023-05-03T00:00:00Z')),
        },
      ]);
      expect(titles(between)).toEqual(['search beta', 'search gamma']);
      expect(titles(await search([{ propertyName: 'hs_call_to_number', operator: Op.HasProperty }]))).toEqual(
        ['search gamma'],
      );
      expect(
        titles(
          await search([{ propertyName: 'hs_call_status', operator: Op.In, values: ['BUSY', 'NO_ANSWER'] }]),
        ),
      ).toEqual(['search beta']);
      const desc = await search([], {
        sorts: [{ propertyName: 'hs_call_duration', direction: 'DESCENDING' }],
      });
      expect(titles(desc)).toEqual(['search gamma', 'search beta', 'search alpha']);
      const page1 = await search([], { limit: 2 });
      expect(page1.total).toBe(3);
      expect(page1.paging?.next?.after).toBe('2');
      const page2 = await search([], { limit: 2, after: page1.paging!.next!.after });
      expect(titles(page2)).toEqual(['search gamma']);
      expect(page2.paging).toBeUndefined();
      const byQuery = await s.client.crm.objects.calls.searchApi.doSearch({
        query: 'beta',
        filterGroups: [],
        limit: 10,
        after: '0',
        sorts: [],
        properties: [],
      } as never);
      expect(byQuery.results.map((r) => r.id)).toEqual([b.id]);
      const groupsOr = await search([], {
        filterGroups: [
          { filters: [{ propertyName: 'hs_object_id', operator: Op.Eq, value: a.id }] },
          { filters: [{ propertyName: 'hs_object_id', operator: Op.Eq, value: c.id }] },
        ],
      });
      expect(groupsOr.results.map((r) => r.id)).toEqual([a.id, c.id]);
    });

    it('associations v3: PUT and DELETE by path, readable from both sides', async () => {
      const call = await newCall();
      const put = await s.client.apiRequest({
        method: 'PUT',
        path: `/crm/v3/objects/calls/${call.id}/associations/contact/${contactId}/194`,
      });
      expect(put.status).toBe(200);
      expect(put.headers.get('content-type')).toMatch(/application\/json/);
      expect((await put.json()).associations.contacts.results).toEqual([
        { id: contactId, type: 'call_to_contact' },
      ]);
      const v3Read = await s.client.apiRequest({
        method: 'GET',
        path: `/crm/v3/objects/calls/${call.id}/associations/contacts`,
      });
      expect(await v3Read.json()).toEqual({ results: [{ id: contactId, type: 'call_to_contact' }] });
      const batchRead = await s.client.crm.associations.batchApi.read('calls', 'contacts', {
        inputs: [{ id: call.id }],
      });
      expect(batchRead.results[0]).toMatchObject({
        _from: { id: call.id },
        to: [{ id: contactId, type: 'call_to_contact' }],
      });
      const fromContact = await s.client.crm.contacts.basicApi.getById(contactId, undefined, undefined, [
        'calls',
      ]);
      expect(fromContact.associations?.['calls']?.results).toContainEqual({
        id: call.id,
        type: 'contact_to_call',
      });
      const created = await s.client.crm.associations.batchApi.create('companies', 'calls', {
        inputs: [{ _from: { id: companyId }, to: { id: call.id }, type: 'company_to_call' }],
      });
      expect(created.results[0]).toMatchObject({
        _from: { id: companyId },
        to: { id: call.id },
        type: 'company_to_call',
      });
      const callCompanies = await s.client.crm.objects.calls.basicApi.getById(call.id, undefined, undefined, [
        'companies',
      ]);
      expect(callCompanies.associations?.['companies']?.results).toEqual([
        { id: companyId, type: 'call_to_company' },
      ]);
      await s.client.crm.associations.batchApi.archive('companies', 'calls', {
        inputs: [{ _from: { id: companyId }, to: { id: call.id }, type: 'company_to_call' }],
      });
      const noCompanies = await s.client.crm.objects.calls.basicApi.getById(call.id, undefined, undefined, [
        'companies',
      ]);
      expect(noCompanies.associations).toBeUndefined();
      const del = await s.client.apiRequest({
        method: 'DELETE',
        path: `/crm/v3/objects/calls/${call.id}/associations/contacts/${contactId}/call_to_contact`,
      });
      expect(del.status).toBe(204);
      const after = await s.client.crm.contacts.basicApi.getById(contactId, undefined, undefined, ['calls']);
      expect(after.associations?.['calls']?.results ?? []).not.toContainEqual({
        id: call.id,
        type: 'contact_to_call',
      });
    });

    it('associations v4: labelled create, default, list both directions, batch read, archive', async () => {
      const v4 = s.client.crm.associations.v4;
      const call = await newCall();
      const pair = await v4.basicApi.create('calls', call.id, 'contacts', contactId, [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: 194 },
      ]);
      expect(pair).toMatchObject({
        fromObjectTypeId: '0-48',
        fromObjectId: Number(call.id),
        toObjectTypeId: '0-1',
        toObjectId: Number(contactId),
        labels: [],
      });
      const forward = await v4.basicApi.getPage('calls', call.id, 'contacts');
      expect(forward.results).toEqual([
        {
          toObjectId: Number(contactId),
          associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 194, label: null }],
        },
      ]);
      const backward = await v4.basicApi.getPage('0-1', contactId, '0-48');
      expect(backward.results).toContainEqual({
        toObjectId: Number(call.id),
        associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 193, label: null }],
      });
      const def = await v4.basicApi.createDefault('calls', call.id, 'companies', companyId);
      expect(def.status).toBe('COMPLETE');
      expect(def.results[0]).toMatchObject({
        _from: { id: call.id },
        to: { id: companyId },
        associationSpec: { associationTypeId: 182 },
      });
      const companySide = await v4.basicApi.getPage('companies', companyId, 'calls');
      expect(
        companySide.results.find((r) => String(r.toObjectId) === call.id)?.associationTypes[0]?.typeId,
      ).toBe(181);
      const batch = await v4.batchApi.getPage('calls', 'contacts', { inputs: [{ id: call.id }] });
      expect(batch.results[0]).toMatchObject({
        _from: { id: call.id },
        to: [{ toObjectId: Number(contactId) }],
      });
      const created = await v4.schema.definitionsApi.create('calls', 'contacts', {
        label: 'Decision maker',
        name: 'decision_maker',
      });
      const userType = created.results.find((t) => t.label === 'Decision maker')!;
      expect(userType.category).toBe('USER_DEFINED');
      const labelled = await v4.batchApi.create('calls', 'contacts', {
        inputs: [
          {
            _from: { id: call.id },
            to: { id: contactId },
            types: [
              { associationCategory: HUBSPOT_DEFINED, associationTypeId: 194 },
              { associationCategory: 'USER_DEFINED' as Category, associationTypeId: userType.typeId },
            ],
          },
        ],
      });
      expect(labelled.results[0]).toMatchObject({
        fromObjectId: Number(call.id),
        labels: ['Decision maker'],
      });
      const withLabel = await v4.basicApi.getPage('calls', call.id, 'contacts');
      expect(withLabel.results[0]?.associationTypes).toContainEqual({
        category: 'USER_DEFINED',
        typeId: userType.typeId,
        label: 'Decision maker',
      });
      await v4.basicApi.archive('calls', call.id, 'contacts', contactId);
      expect((await v4.basicApi.getPage('calls', call.id, 'contacts')).results).toEqual([]);
      const labels = await v4.schema.definitionsApi.getAll('contacts', 'companies');
      expect(labels.results).toContainEqual({ category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' });
    });

    it('owners: list and get through the client, with seats', async () => {
      const owner = await s.system.owners.add({
        email: 'sam@example.com',
        seat: 'service',
        firstName: 'Sam',
      });
      const page = await s.client.crm.owners.ownersApi.getPage('sam@example.com');
      expect(page.results).toHaveLength(1);
      expect(page.results[0]).toMatchObject({
        id: owner.id,
        email: 'sam@example.com',
        firstName: 'Sam',
        type: 'PERSON',
        archived: false,
      });
      expect(await s.client.crm.owners.ownersApi.getById(Number(owner.id))).toMatchObject({
        id: owner.id,
        userId: owner.userId,
      });
      const call = await newCall({ hubspot_owner_id: owner.id });
      expect(call.properties['hubspot_owner_id']).toBe(owner.id);
    });

    it('transcripts: create, read and delete on both paths; the call tracks its transcript', async () => {
      for (const base of [
        '/crm/v3/extensions/calling/transcripts',
        '/crm/extensions/calling/2026-03/transcripts',
      ]) {
        const call = await newCall();
        const created = await s.client.apiRequest({
          method: 'POST',
          path: base,
          body: {
            engagementId: Number(call.id),
            transcriptCreateUtterances: [
              {
                speaker: { id: '11', name: 'Agent' },
                text: 'Hello. How are you?',
                languageCode: 'en-US',
                startTimeMillis: 1980,
                endTimeMillis: 2090,
              },
              {
                speaker: { id: '12', name: 'Caller', email: 'c@example.com' },
                text: 'Good, and you?',
                startTimeMillis: 2090,
                endTimeMillis: 3450,
              },
            ],
          },
        });
        expect(created.status).toBe(200);
        const { id } = await created.json();
        expect(id).toMatch(/^\d+$/);
        const read = await s.client.apiRequest({ method: 'GET', path: `${base}/${id}` });
        const body = await read.json();
        expect(body).toMatchObject({
          id,
          engagementId: Number(call.id),
          transcriptSource: 'INTEGRATOR_GENERATED',
          transcriptUtterances: [
            {
              speaker: { id: '11', name: 'Agent' },
              text: 'Hello. How are you?',
              languageCode: 'en-US',
              startTimeMillis: 1980,
              endTimeMillis: 2090,
            },
            {
              speaker: { id: '12', name: 'Caller', email: 'c@example.com' },
              text: 'Good, and you?',
              startTimeMillis: 2090,
              endTimeMillis: 3450,
            },
          ],
        });
        expect(body.transcriptUtterances[0].id).toEqual(expect.any(String));
        expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
        const withTranscript = await s.client.crm.objects.calls.basicApi.getById(call.id, [
          'hs_call_has_transcript',
          'hs_call_transcription_id',
        ]);
        expect(withTranscript.properties).toMatchObject({
          hs_call_has_transcript: 'true',
          hs_call_transcription_id: id,
        });
        const del = await s.client.apiRequest({ method: 'DELETE', path: `${base}/${id}` });
        expect(del.status).toBe(204);
        expect((await s.client.apiRequest({ method: 'GET', path: `${base}/${id}` })).status).toBe(404);
        const without = await s.client.crm.objects.calls.basicApi.getById(call.id, [
          'hs_call_has_transcript',
          'hs_call_transcription_id',
        ]);
        expect(without.properties).toMatchObject({
          hs_call_has_transcript: 'false',
          hs_call_transcription_id: null,
        });
      }
    });

    it('mark-ready answers 204, is recorded, and emits recording.ready', async () => {
      const call = await newCall({
        hs_call_source: 'INTEGRATIONS_PLATFORM',
        hs_call_external_id: 'ext-1',
        hs_call_external_account_id: 'acct-1',
        hs_call_app_id: '4101',
      });
      const seen: string[] = [];
      const off = s.system.events.on('recording.ready', (e) => {
        seen.push(e.callId);
      });
      await s.client.crm.extensions.calling.recordingSettingsApi.markAsReady({
        engagementId: Number(call.id),
      });
      off();
      expect(seen).toEqual([call.id]);
      expect(await s.system.crm.settings.readyMarks(call.id)).toHaveLength(1);
      await expect(
        s.client.crm.extensions.calling.recordingSettingsApi.markAsReady({ engagementId: 424242 }),
      ).rejects.toMatchObject({ code: 404 });
    });

    it('properties: the definitions that drive validation are served', async () => {
      const all = await s.client.crm.properties.coreApi.getAll('calls');
      const status = all.results.find((p) => p.name === 'hs_call_status');
      expect(status).toMatchObject({ type: 'enumeration', fieldType: 'select', label: 'Call status' });
      expect(status?.options.map((o) => o.value)).toContain('COMPLETED');
      expect(await s.client.crm.properties.coreApi.getByName('calls', 'hs_call_duration')).toMatchObject({
        type: 'number',
      });
      await expect(s.client.crm.properties.coreApi.getByName('calls', 'nope')).rejects.toMatchObject({
        code: 404,
      });
    });

    it('contacts, companies, deals and tickets: create, read, update, list, archive', async () => {
      const deal = await s.client.crm.deals.basicApi.create({
        properties: { dealname: 'Big', dealstage: 'qualifiedtobuy', amount: '1200' },
        associations: [],
      });
      expect(deal.properties).toMatchObject({ dealname: 'Big', pipeline: 'default', amount: '1200' });
      const ticket = await s.client.crm.tickets.basicApi.create({
        properties: { subject: 'Broken', hs_pipeline_stage: '1', hs_ticket_priority: 'HIGH' },
        associations: [],
      });
      expect(ticket.properties).toMatchObject({ subject: 'Broken', hs_pipeline: '0' });
      const read = await s.client.crm.contacts.basicApi.getById(contactId);
      expect(read.properties).toMatchObject({
        email: 'ana@example.com',
        firstname: 'Ana',
        lastname: 'Diaz',
        hs_object_id: contactId,
      });
      const byEmail = await s.client.crm.contacts.basicApi.getById(
        'ANA@example.com',
        ['phone'],
        undefined,
        undefined,
        false,
        'email',
      );
      expect(byEmail.id).toBe(contactId);
      const renamed = await s.client.crm.companies.basicApi.update(companyId, {
        properties: { name: 'Acme Inc' },
      });
      expect(renamed.properties['name']).toBe('Acme Inc');
      expect((await s.client.crm.deals.basicApi.getPage(10)).results.map((d) => d.id)).toContain(deal.id);
      await s.client.crm.tickets.basicApi.archive(ticket.id);
      await expect(s.client.crm.tickets.basicApi.getById(ticket.id)).rejects.toMatchObject({ code: 404 });
      await expect(
        s.client.crm.contacts.basicApi.create({ properties: { email: 'ana@example.com' }, associations: [] }),
      ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
    });

    it('stores without HTTP: HUBSPOT_GENERATED transcripts are idempotent per call; events follow writes', async () => {
      const created: string[] = [];
      const off = s.system.events.on('call.created', (e) => {
        created.push(e.call.id);
      });
      const call = await s.system.crm.calls.create({ properties: { hs_timestamp: Date.now() } });
      off();
      expect(created).toEqual([call.id]);
      const utterances = [
        {
          speaker: { id: 'c1', name: 'Caller' },
          text: 'hello there',
          startTimeMillis: 0,
          endTimeMillis: 900,
        },
      ];
      const first = await s.system.crm.transcripts.create({
        engagementId: call.id,
        source: 'HUBSPOT_GENERATED',
        utterances,
      });
      const again = await s.system.crm.transcripts.create({
        engagementId: call.id,
        source: 'HUBSPOT_GENERATED',
        utterances,
      });
      expect(first.created).toBe(true);
      expect(again).toMatchObject({ created: false, transcript: { id: first.transcript.id } });
      // Racing retries (two workers picking up the same job) still store exactly one.
      const raced = await s.system.crm.calls.create({ properties: { hs_timestamp: Date.now() } });
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          s.system.crm.transcripts.create({
            engagementId: raced.id,
            source: 'HUBSPOT_GENERATED',
            utterances,
          }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.transcript.id)).size).toBe(1);
      expect(await s.system.crm.transcripts.listForCall(raced.id)).toHaveLength(1);
      const withAssoc = await s.system.crm.calls.get(call.id);
      expect(withAssoc?.properties).toMatchObject({
        hs_call_has_transcript: 'true',
        hs_call_transcription_id: first.transcript.id,
      });
      const viaApi = await s.client.apiRequest({
        method: 'GET',
        path: `/crm/v3/extensions/calling/transcripts/${first.transcript.id}`,
      });
      expect((await viaApi.json()).transcriptSource).toBe('HUBSPOT_GENERATED');
    });
  });
}
