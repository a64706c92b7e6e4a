// SPDX-License-Identifier: AGPL-3.0-or-later
// Minimal stand-ins, written here, for the parts of proxmoxlib.js and pvemanagerlib.js the plugin
// touches (pve-platform.md §1.3–1.10): Proxmox.Utils helpers, Proxmox.window.TaskViewer,
// PVE.panel.Config (tree menu, card layout, insertNodes, hstateid state save and restore inside
// initComponent), PVE.dc.Config (the Datacenter item list incl. `backup`), PVE.dc.Summary
// (column layout with dcHealth/dcGuests) and a workspace. The URL query chooses variants:
//   cap=modify|audit|none   GuiCap (Sys.Audit + Sys.Modify / Sys.Audit / nothing)
//   variant=renamed         PVE renamed insertNodes (the plugin must leave the GUI alone)
//   variant=summary-changed PVE.dc.Summary without a Guests item
//   variant=broken-utils    every Proxmox.Utils helper throws
(() => {
    const params = new URLSearchParams(window.location.search);
    const variant = params.get('variant') || '';
    const insertName = variant === 'renamed' ? 'insertTreeNodes' : 'insertNodes';

    Proxmox.Utils = {
        render_size: (v) => {
            const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
            let i = 0;
            let x = Number(v);
            while (x >= 1024 && i < units.length - 1) {
                x /= 1024;
                i++;
            }
            return `${i === 0 ? x : x.toFixed(2)} ${units[i]}`;
        },
        format_duration_long: (s) => `${Math.round(s)}s`,
        render_timestamp: (t) => Ext.Date.format(new Date(t * 1000), 'Y-m-d H:i:s'),
    };
    if (variant === 'broken-utils') {
        for (const k of Object.keys(Proxmox.Utils)) {
            Proxmox.Utils[k] = () => {
                throw new Error(`stand-in Proxmox.Utils.${k} broken on purpose`);
            };
        }
    }

    Ext.state.Manager.setProvider(Ext.create('Ext.state.LocalStorageProvider', { prefix: 'pbh-test-' }));
    const cap = params.get('cap') || 'modify';
    const dc = cap === 'none' ? {} : cap === 'audit' ? { 'Sys.Audit': 1 } : { 'Sys.Audit': 1, 'Sys.Modify': 1 };
    Ext.state.Manager.set('GuiCap', { vms: {}, storage: {}, access: {}, nodes: {}, sdn: {}, dc, mapping: {} });

    Ext.define('Proxmox.window.TaskViewer', {
        extend: 'Ext.window.Window',
        title: 'Task viewer (stand-in)',
        width: 640,
        height: 200,
        cls: 'standin-taskviewer',
        initComponent: function () {
            this.html = `<pre class="standin-upid">${Ext.String.htmlEncode(this.upid)}</pre>`;
            this.callParent();
        },
    });

    const panelConfig = {
        extend: 'Ext.panel.Panel',
        alias: 'widget.pvePanelConfig',
        showSearch: true,
        layout: 'card',
        border: 0,
        firstItem: '',

        initComponent: function () {
            this.sp = Ext.state.Manager.getProvider();
            const saved = this.hstateid ? this.sp.get(this.hstateid) : undefined;
            const wanted = saved?.value || undefined;
            const title = this.title;
            this.title = undefined;
            this.items = this.items || [];
            if (this.showSearch) this.items.unshift({ itemId: 'search', title: gettext('Search'), iconCls: 'fa fa-search', xtype: 'panel', html: '<div style="padding:10px">Search (stand-in)</div>' });
            this.savedItems = {};
            this.firstItem = this.items[0] ? this.items[0].itemId : '';
            this.store = Ext.create('Ext.data.TreeStore', { root: { expanded: true } });
            this[insertName](this.items);
            delete this.items;
            this.defaults = Ext.apply(this.defaults || {}, { border: 0, workspace: this.workspace });
            this.dockedItems = [
                { xtype: 'toolbar', dock: 'left', cls: 'standin-nav', items: { xtype: 'treelist', itemId: 'menu', width: 200, expanderOnly: true, listeners: { selectionchange: (_t, sel) => sel && this.activateCard(sel.data.id) } } },
                { xtype: 'toolbar', dock: 'top', items: [{ xtype: 'tbtext', text: title, cls: 'standin-title' }] },
            ];
            this.callParent();
            const root = this.store.getRoot();
            const selection = (wanted && root.findChild('id', wanted, true)) || root.firstChild;
            for (let n = selection; n && n !== root; n = n.parentNode) n.expand();
            const menu = this.down('#menu');
            menu.setStore(this.store);
            menu.setSelection(selection);
            if (this.hstateid) {
                this.mon(this.sp, 'statechange', (_sp, key, state) => {
                    if (key !== this.hstateid || !state) return;
                    const id = state.value || this.firstItem;
                    const active = this.getLayout().getActiveItem();
                    if (!active || active.itemId !== id) menu.setSelection(root.findChild('id', id, true) || root.firstChild);
                });
            }
        },

        selectById: function (id) {
            const node = this.store.getRoot().findChild('id', id, true);
            if (!node) return '';
            this.down('#menu').setSelection(node);
            return id;
        },

        activateCard: function (id) {
            if (!this.savedItems[id]) return;
            const current = this.getLayout().getActiveItem();
            const card = this.add(this.savedItems[id]);
            if (current) {
                this.setActiveItem(card);
                this.remove(current, true);
                if (this.hstateid) this.sp.set(this.hstateid, { value: id === this.firstItem ? '' : id });
            }
        },
    };
    panelConfig[insertName] = function (items) {
        const root = this.store.getRoot();
        for (const item of items) {
            if (this.savedItems[item.itemId] !== undefined) throw 'itemId already exists, please use another';
            this.savedItems[item.itemId] = item;
            item.header = false;
            let parent = root;
            for (const g of item.groups || []) parent = parent.findChild('id', g) || parent;
            parent.appendChild({ id: item.itemId, text: item.title, iconCls: item.iconCls, leaf: true, expanded: item.expandedOnInit });
        }
    };
    Ext.define('PVE.panel.Config', panelConfig);

    const placeholder = (title) => ({ xtype: 'panel', html: `<div style="padding:10px">${title} (stand-in)</div>` });

    Ext.define('PVE.dc.Config', {
        extend: 'PVE.panel.Config',
        alias: 'widget.PVE.dc.Config',
        initComponent: function () {
            const caps = Ext.state.Manager.get('GuiCap') || {};
            const audit = caps.dc?.['Sys.Audit'];
            this.items = [];
            if (audit) {
                this.items.push(
                    { title: gettext('Summary'), xtype: 'pveDcSummary', iconCls: 'fa fa-book', itemId: 'summary' },
                    { title: gettext('Notes'), ...placeholder('Notes'), iconCls: 'fa fa-sticky-note-o', itemId: 'notes' },
                    { title: gettext('Cluster'), ...placeholder('Cluster'), iconCls: 'fa fa-server', itemId: 'cluster' },
                    { title: gettext('Options'), ...placeholder('Options'), iconCls: 'fa fa-gear', itemId: 'options' },
                    { title: gettext('Storage'), ...placeholder('Storage'), iconCls: 'fa fa-database', itemId: 'storage' },
                    { title: gettext('Backup'), ...placeholder('Backup'), iconCls: 'fa fa-floppy-o', itemId: 'backup' },
                    { title: gettext('Replication'), ...placeholder('Replication'), iconCls: 'fa fa-retweet', itemId: 'replication' },
                    { title: gettext('Permissions'), ...placeholder('Permissions'), iconCls: 'fa fa-unlock', itemId: 'permissions', expandedOnInit: true },
                );
            }
            this.items.push(
                { title: gettext('Users'), ...placeholder('Users'), iconCls: 'fa fa-user', itemId: 'users', groups: ['permissions'] },
                { title: gettext('API Tokens'), ...placeholder('API Tokens'), iconCls: 'fa fa-user-o', itemId: 'apitokens', groups: ['permissions'] },
            );
            if (audit) this.items.push({ title: gettext('HA'), ...placeholder('HA'), iconCls: 'fa fa-heartbeat', itemId: 'ha' }, { title: gettext('Support'), ...placeholder('Support'), iconCls: 'fa fa-comments-o', itemId: 'support' });
            Ext.apply(this, { title: gettext('Datacenter'), hstateid: 'dctab' });
            this.callParent();
        },
    });

    const box = (title, itemId, html) => ({ itemId, xtype: 'panel', title, height: 250, bodyPadding: 10, html });
    Ext.define('PVE.dc.Summary', {
        extend: 'Ext.panel.Panel',
        alias: 'widget.pveDcSummary',
        scrollable: true,
        bodyPadding: 5,
        layout: 'column',
        defaults: { padding: 5, columnWidth: 1 },
        items:
            variant === 'summary-changed'
                ? [box(gettext('Health'), 'dcHealth', 'Health (stand-in)')]
                : [
                      box(gettext('Health'), 'dcHealth', '<div style="text-align:center"><i class="fa fa-check good fa-5x"></i><div>Cluster: stand-in, Quorate: Yes</div></div>'),
                      box(gettext('Guests'), 'dcGuests', 'Virtual Machines: 12 running<br>LXC Container: 5 running'),
                      { xtype: 'panel', title: gettext('Resources'), minHeight: 250, bodyPadding: 10, html: 'CPU · Memory · Storage (stand-in)' },
                      box(gettext('Nodes'), 'nodeview', 'pve1 · pve2 · pve3 (stand-in)'),
                  ],
        initComponent: function () {
            this.callParent();
            // Like PVE's updateColumns: one column per 1401 px, set on every direct child.
            this.on('resize', (panel, width) => {
                const factor = Math.min(3, Math.max(1, Math.ceil(width / 1401)));
                if (panel.oldFactor === factor) return;
                panel.oldFactor = factor;
                panel.items.each((c) => {
                    c.columnWidth = 1 / factor;
                });
                panel.updateLayout();
            });
        },
    });

    PVE.StdWorkspace = () =>
        Ext.create('Ext.container.Viewport', {
            layout: 'border',
            items: [
                { region: 'north', xtype: 'component', cls: 'standin-header', height: 38, html: '<b>Proxmox Virtual Environment</b> <span>test host page with stand-ins</span>' },
                { region: 'center', xtype: 'PVE.dc.Config', itemId: 'dcconfig', showSearch: true, pveSelNode: { data: { id: 'root', text: 'Datacenter' } } },
            ],
        });
})();
