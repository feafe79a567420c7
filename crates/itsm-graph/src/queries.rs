//! The questions operators ask: impact with explanations, root causes, blast radius, single
//! points of failure, how many failures a service survives, what-if.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::answers::{
    Affected, Alarm, Candidate, Explanation, GraphIds, GroupCount, ImpactReport, MaintenanceRule,
    Resilience, RootCauseQuery, Scenario, WhatIf,
};
use crate::error::Error;
use crate::failures::{Failures, Upstream};
use crate::graph::{Graph, NodeId};
use crate::rows::{NONE, bit};
use crate::spec::NodeKind;
use crate::workspace::ImpactView;

/// Seeds with their levels, and masked nodes.
type Seeds = (Vec<(NodeId, u8)>, Vec<NodeId>);

impl Graph {
    fn seeds(&self, scenario: &Scenario) -> Result<Seeds, Error> {
        let mut seeds = Vec::with_capacity(scenario.failed.len());
        for f in &scenario.failed {
            seeds.push((self.node(&f.id)?, f.severity.unwrap_or(self.outage())));
        }
        let mut masks = Vec::with_capacity(scenario.maintenance.len());
        for m in &scenario.maintenance {
            masks.push(self.node(m)?);
        }
        Ok((seeds, masks))
    }

    fn level_name(&self, level: u8) -> String {
        // invariant: a query's severities are levels of the scale (1..=outage).
        self.severity_scale()
            .levels
            .get(usize::from(level).saturating_sub(1))
            .cloned()
            .unwrap_or_default()
    }

    fn collect(&self, view: &ImpactView<'_, '_>) -> ImpactReport {
        let mut nodes: Vec<(NodeId, u8)> = view.affected().collect();
        nodes.sort_unstable();
        let affected = nodes
            .iter()
            .map(|(n, s)| Affected {
                id: self.id(*n).to_owned(),
                // invariant: the view's nodes are this graph's.
                kind: self.kind(*n).unwrap_or(NodeKind::ConfigurationItem),
                severity: *s,
                severity_name: self.level_name(*s),
            })
            .collect();
        // Which explanation last put each node on its path (0: none), so that a path is
        // walked once without a set of its own.
        let mut on_path: Vec<u32> = Vec::new();
        let mut explanations: Vec<Explanation> = nodes
            .iter()
            .filter(|(n, _)| self.kind(*n) == Some(NodeKind::BusinessService))
            .enumerate()
            .map(|(k, (n, s))| {
                if on_path.is_empty() {
                    on_path = vec![0; self.node_count()];
                }
                let stamp = u32::try_from(k + 1).unwrap_or(NONE);
                self.explain(view, *n, *s, &mut on_path, stamp)
            })
            .collect();
        explanations.sort_by(|a, b| a.service.cmp(&b.service));
        ImpactReport {
            affected,
            explanations,
            graph: GraphIds(Some(Arc::clone(&self.names))),
        }
    }

    /// The path that explains `service`: the chain of nodes that raised each other, from a
    /// failed node, walked back through [`ImpactView::via`] once (O(path)); `on_path` holds
    /// `stamp` for the nodes met, so a loop of predecessors ends the walk.
    fn explain(
        &self,
        view: &ImpactView<'_, '_>,
        service: NodeId,
        severity: u8,
        on_path: &mut [u32],
        stamp: u32,
    ) -> Explanation {
        let mut path = vec![service];
        let mut mark = |n: NodeId| match on_path.get_mut(n.index()) {
            Some(s) if *s != stamp => {
                *s = stamp;
                true
            }
            _ => false,
        };
        mark(service);
        let mut at = service;
        while let Some(p) = view.via(at) {
            if p == at || !mark(p) {
                break;
            }
            path.push(p);
            at = p;
        }
        path.reverse();
        let groups = path
            .iter()
            .filter_map(|n| {
                let (members, need) = self.group_rule(*n)?;
                let failed = view.failed_members(*n);
                // A group at the outage level with enough members up failed through an
                // input of its own (an edge into it): it does not hold.
                let through_input = failed < need && view.severity(*n) >= self.outage();
                Some(GroupCount {
                    group: self.id(*n).to_owned(),
                    failed,
                    members,
                    min_up: members + 1 - need.min(members + 1),
                    held: failed < need && !through_input,
                    through: view
                        .via(*n)
                        .filter(|p| through_input && p != n)
                        .map(|p| self.id(p).to_owned()),
                    influence: self.is_weighted(self.inner_of(*n)),
                })
            })
            .collect();
        Explanation {
            service: self.id(service).to_owned(),
            severity,
            path: path.iter().map(|n| self.id(*n).to_owned()).collect(),
            groups,
        }
    }

    /// Every node a scenario affects, with its severity, and for each affected business
    /// service the path and redundancy counts that explain it.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// use itsm_graph::{Failure, Scenario};
    ///
    /// let report = graph.impact(&Scenario::outages(&["web-1"]))?;
    /// // The farm holds on web-2: the shop and the status page are degraded.
    /// assert_eq!(report.severity("shop"), Some(1));
    /// assert_eq!(report.severity("payroll"), Some(0));
    /// let why = &report.explanations[0];
    /// assert_eq!((why.service.as_str(), why.path.join(" -> ")), ("shop", "web-1 -> web-farm -> shop".into()));
    /// assert_eq!(why.groups[0].to_string(), "group `web-farm`: 1 of 2 members up, needs 1: holds");
    /// // The storage fails while the database is in a maintenance window: what reaches the
    /// // services only through the database is left out.
    /// let report = graph.impact(&Scenario::new(vec![Failure::outage("san")], &["db"]))?;
    /// assert_eq!((report.severity("san"), report.severity("payroll")), (Some(2), Some(0)));
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have (named in
    /// [`NamedIn::Query`](crate::NamedIn::Query)), [`Error::UnknownSeverity`] for a level
    /// outside the scale.
    pub fn impact(&self, scenario: &Scenario) -> Result<ImpactReport, Error> {
        let (seeds, masks) = self.seeds(scenario)?;
        let mut ws = self.workspace();
        let view = ws.run_with(&seeds, &masks, scenario.maintenance_rule)?;
        Ok(self.collect(&view))
    }

    /// The impact of an outage of one node alone.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// let radius = graph.blast_radius("db")?;
    /// let ids: Vec<&str> = radius.affected.iter().map(|a| a.id.as_str()).collect();
    /// assert_eq!(ids, ["shop", "payroll", "db"]);
    /// assert_eq!(radius.services().len(), 2);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn blast_radius(&self, id: &str) -> Result<ImpactReport, Error> {
        self.impact(&Scenario::outages(&[id]))
    }

    /// The upstream nodes whose outage would explain the most alarmed services, ranked:
    /// most explained first, then fewest other business services affected, then id. At most
    /// `limit` candidates, searched among the alarmed nodes themselves and the `search`
    /// nearest upstream nodes. Groups are not candidates (a group fails through its members);
    /// a node whose outage explains no alarm is not listed; an alarm given twice counts once.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// let causes = graph.root_causes(&["shop", "payroll"], 2, 10)?;
    /// let ids: Vec<&str> = causes.iter().map(|c| c.id.as_str()).collect();
    /// assert_eq!(ids, ["db", "san"]);
    /// assert_eq!(causes[0].explains, ["payroll", "shop"]);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn root_causes(
        &self,
        alarmed: &[&str],
        limit: usize,
        search: usize,
    ) -> Result<Vec<Candidate>, Error> {
        let alarms = alarmed.iter().map(|a| Alarm::outage(a)).collect();
        self.root_causes_for(&RootCauseQuery::new(alarms, limit, search))
    }

    /// [`Graph::root_causes`] for alarms with a severity, with nodes in maintenance. A
    /// candidate explains an alarm when its outage brings the alarmed node to the alarm's
    /// level or above, redundancy honoured: a member whose loss its group absorbs does not
    /// explain an outage of what depends on the group (so the candidates that explain an
    /// outage alarm on one service are its single points of failure among the nodes
    /// searched), but it does explain a degradation. Nodes in maintenance (and under
    /// [`MaintenanceRule::HidesParents`] what they put in maintenance) are not candidates,
    /// and their alarms are left out; the maintenance counts as `maintenance_rule` says in
    /// every candidate's impact. An alarm given twice counts once, at its highest level.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![node("shop", bs), node("a1", ci), node("a2", ci), node("lb", ci)],
    /// #     vec![GroupSpec::new("farm", &["a1", "a2"], MinUp::Count(1))],
    /// #     vec![EdgeSpec::new("shop", "farm", "depends_on"), EdgeSpec::new("farm", "lb", "depends_on")],
    /// # ))?;
    /// // shop -> farm {a1, a2: one must be up} -> lb; two levels: 1 degraded, 2 outage.
    /// use itsm_graph::{Alarm, MaintenanceRule, RootCauseQuery};
    ///
    /// // The shop is down: the load balancer explains it (or the shop itself), not a
    /// // server whose loss the farm absorbs.
    /// let ids = |q| -> Result<Vec<String>, itsm_graph::Error> {
    ///     Ok(graph.root_causes_for(&q)?.into_iter().map(|c| c.id).collect())
    /// };
    /// assert_eq!(ids(RootCauseQuery::new(vec![Alarm::outage("shop")], 5, 10))?, ["lb", "shop"]);
    /// // The shop is degraded: either server explains that too (all tie, by id).
    /// assert_eq!(
    ///     ids(RootCauseQuery::new(vec![Alarm::at("shop", 1)], 5, 10))?,
    ///     ["a1", "a2", "lb", "shop"]
    /// );
    /// // a2 is in maintenance and its capacity is lost: a1 now explains the outage.
    /// let mut q = RootCauseQuery::new(vec![Alarm::outage("shop")], 5, 10);
    /// q.maintenance = vec!["a2".into()];
    /// q.maintenance_rule = MaintenanceRule::LostCapacity;
    /// assert_eq!(ids(q)?, ["a1", "lb", "shop"]);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an alarm or a node in maintenance the graph does not have,
    /// [`Error::UnknownSeverity`] for an alarm's level outside the scale.
    pub fn root_causes_for(&self, query: &RootCauseQuery) -> Result<Vec<Candidate>, Error> {
        let outage = self.outage();
        let mut wanted: BTreeMap<NodeId, u8> = BTreeMap::new();
        let mut alarmed_ids: Vec<NodeId> = Vec::with_capacity(query.alarms.len());
        for a in &query.alarms {
            let node = self.node(&a.id)?;
            let level = a.severity.unwrap_or(outage);
            if level == 0 || level > outage {
                return Err(Error::UnknownSeverity { level, max: outage });
            }
            // A repeated alarm is one alarm (and one candidate, not two), at its highest.
            match wanted.get_mut(&node) {
                Some(l) => *l = (*l).max(level),
                None => {
                    wanted.insert(node, level);
                    alarmed_ids.push(node);
                }
            }
        }
        let mut masks = Vec::with_capacity(query.maintenance.len());
        for m in &query.maintenance {
            masks.push(self.node(m)?);
        }
        let masked = self.masked_bits(&masks, query.maintenance_rule);
        let is_masked = |v: u32| bit(&masked, v as usize);
        // Alarms on nodes in maintenance are left out.
        alarmed_ids.retain(|n| !is_masked(self.inner_of(*n)));
        wanted.retain(|n, _| !is_masked(self.inner_of(*n)));
        let starts: Vec<u32> = alarmed_ids.iter().map(|n| self.inner_of(*n)).collect();
        let mut pool: Vec<u32> = starts.clone();
        pool.extend(Upstream::new(self, &starts).take(query.search));
        pool.retain(|c| self.kind(self.outer_of(*c)) != Some(NodeKind::Group) && !is_masked(*c));
        // Nodes of one strongly connected component without groups reach each other at the
        // outage level, so their outages affect the same nodes at the same levels: one
        // traversal per such component (found only where the candidates reach). A
        // component with a group (a member's outage may be absorbed) or a node in
        // maintenance gets a traversal per candidate.
        let mut alone: Vec<u64> = vec![0; self.node_count().div_ceil(64)];
        let component = crate::scc::components(&self.forward, pool.iter().copied(), |scc| {
            if scc
                .iter()
                .any(|v| bit(&self.groups, *v as usize) || is_masked(*v))
            {
                for v in scc {
                    crate::rows::set_bit(&mut alone, *v as usize);
                }
            }
        });
        // The alarmed nodes by compiled index, so that reading a candidate's answer looks
        // up the id of an alarmed node only (and business services are the graph's bits).
        let mut alarm_bits = vec![0u64; self.node_count().div_ceil(64)];
        for n in wanted.keys() {
            crate::rows::set_bit(&mut alarm_bits, self.inner_of(*n) as usize);
        }
        let mut ws = self.workspace();
        let mut by_component: BTreeMap<u32, (Vec<String>, usize)> = BTreeMap::new();
        let mut out = Vec::new();
        for c in pool {
            let comp = component.get(c as usize).copied().unwrap_or(NONE);
            let shared = !bit(&alone, c as usize);
            let known = if shared {
                by_component.get(&comp).cloned()
            } else {
                None
            };
            let (explains, also) = match known {
                Some(known) => known,
                None => {
                    let view = ws.run_with(
                        &[(self.outer_of(c), outage)],
                        &masks,
                        query.maintenance_rule,
                    )?;
                    let mut explains = Vec::new();
                    let mut also = 0;
                    for (t, level) in view.affected_inner() {
                        if bit(&alarm_bits, t as usize) {
                            let n = self.outer_of(t);
                            if wanted.get(&n).is_some_and(|want| level >= *want) {
                                explains.push(self.id(n).to_owned());
                            }
                        } else if bit(&self.services, t as usize) {
                            also += 1;
                        }
                    }
                    explains.sort();
                    if shared {
                        by_component.insert(comp, (explains.clone(), also));
                    }
                    (explains, also)
                }
            };
            if explains.is_empty() {
                continue;
            }
            out.push(Candidate {
                id: self.id(self.outer_of(c)).to_owned(),
                explains,
                also_affects: also,
            });
        }
        out.sort_by(|a, b| {
            b.explains
                .len()
                .cmp(&a.explains.len())
                .then(a.also_affects.cmp(&b.also_affects))
                .then(a.id.cmp(&b.id))
        });
        out.truncate(query.limit);
        Ok(out)
    }

    /// The compiled nodes left out by `maintenance` under `rule`, as a bitmap: the nodes
    /// themselves, and under [`MaintenanceRule::HidesParents`] all they reach.
    fn masked_bits(&self, maintenance: &[NodeId], rule: MaintenanceRule) -> Vec<u64> {
        let mut inner: Vec<u32> = maintenance.iter().map(|m| self.inner_of(*m)).collect();
        if rule == MaintenanceRule::HidesParents {
            inner = self.reach(&inner);
        }
        let mut bits = vec![0u64; self.node_count().div_ceil(64)];
        for v in inner {
            if (v as usize) < self.node_count() {
                crate::rows::set_bit(&mut bits, v as usize);
            }
        }
        bits
    }

    /// The severity of `id` in `report`, a report of this graph (one read back from JSON
    /// too): 0 when it is not affected.
    ///
    /// ```
    /// # use itsm_graph::{EdgeSpec, Graph, GraphSpec, NodeKind, NodeSpec, Propagation, RelationSpec};
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![NodeSpec::new("app", NodeKind::BusinessService, "service"), NodeSpec::new("db", NodeKind::ConfigurationItem, "db"), NodeSpec::new("dns", NodeKind::ConfigurationItem, "dns")],
    /// #     vec![],
    /// #     vec![EdgeSpec::new("app", "db", "depends_on")],
    /// # ))?;
    /// // app -> db; dns alone.
    /// let report = graph.blast_radius("db")?;
    /// assert_eq!(graph.severity_in(&report, "app")?, 2);
    /// assert_eq!(graph.severity_in(&report, "dns")?, 0);
    /// // A typo is an error, not "unaffected".
    /// assert!(graph.severity_in(&report, "ddns").is_err());
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for an id the graph does not have.
    pub fn severity_in(&self, report: &ImpactReport, id: &str) -> Result<u8, Error> {
        self.node(id)?;
        Ok(report.listed(id).unwrap_or(0))
    }

    /// The nodes whose failure alone takes `service` down (an outage), redundancy honoured,
    /// sorted by id. Groups are not listed: their members are.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// assert_eq!(graph.single_points_of_failure("shop")?, ["db", "san"]);
    /// // The status page needs the farm only, which survives either web server alone.
    /// assert!(graph.single_points_of_failure("status")?.is_empty());
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn single_points_of_failure(&self, service: &str) -> Result<Vec<String>, Error> {
        let target = self.inner_of(self.node(service)?);
        let failures = Failures::new(self, target);
        Ok(self.ids_sorted(failures.single_points()))
    }

    /// [`Graph::single_points_of_failure`] during a maintenance window: the nodes in
    /// `maintenance` neither fail nor pass failure on, and count as `rule` says
    /// ([`MaintenanceRule::LostCapacity`]: as failed members of their groups, so a member
    /// whose partner is in maintenance becomes a single point of failure;
    /// [`MaintenanceRule::HidesParents`]: what they reach is in maintenance too, and a
    /// service in maintenance has no single point of failure). Same cost as without.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![node("shop", bs), node("a1", ci), node("a2", ci), node("lb", ci)],
    /// #     vec![GroupSpec::new("farm", &["a1", "a2"], MinUp::Count(1))],
    /// #     vec![EdgeSpec::new("shop", "farm", "depends_on"), EdgeSpec::new("farm", "lb", "depends_on")],
    /// # ))?;
    /// // shop -> farm {a1, a2: one must be up} -> lb.
    /// use itsm_graph::MaintenanceRule;
    ///
    /// assert_eq!(graph.single_points_of_failure("shop")?, ["lb"]);
    /// assert_eq!(
    ///     graph.single_points_of_failure_during("shop", &["a2"], MaintenanceRule::LostCapacity)?,
    ///     ["a1", "lb"]
    /// );
    /// assert_eq!(
    ///     graph.single_points_of_failure_during("shop", &["a2"], MaintenanceRule::Excluded)?,
    ///     ["lb"]
    /// );
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`] for the service or a node in maintenance.
    pub fn single_points_of_failure_during(
        &self,
        service: &str,
        maintenance: &[&str],
        rule: MaintenanceRule,
    ) -> Result<Vec<String>, Error> {
        let target = self.inner_of(self.node(service)?);
        let mut masks = Vec::with_capacity(maintenance.len());
        for m in maintenance {
            masks.push(self.node(m)?);
        }
        let masked = self.masked_bits(&masks, rule);
        if bit(&masked, target as usize) {
            return Ok(Vec::new());
        }
        let lost = if rule == MaintenanceRule::LostCapacity {
            self.lost_capacity(&masked)
        } else {
            Vec::new()
        };
        let failures = Failures::with_maintenance(self, target, Some(&masked), lost);
        Ok(self.ids_sorted(failures.single_points()))
    }

    /// The ids of `nodes` (compiled indices), sorted: the nodes sorted by their builder
    /// order first (so that the ids are then read from the id buffer front to back), then
    /// the borrowed ids sorted, and only then copied, so a million-node answer makes no
    /// string twice and sorts pointers, not strings.
    fn ids_sorted(&self, nodes: impl Iterator<Item = u32>) -> Vec<String> {
        let mut outer: Vec<u32> = nodes.map(|v| self.outer_of(v).0).collect();
        outer.sort_unstable();
        let mut ids: Vec<&str> = outer.iter().map(|&v| self.id(NodeId(v))).collect();
        ids.sort_unstable();
        ids.into_iter().map(str::to_owned).collect()
    }

    /// Per group (compiled index), its members among `masked`: the capacity lost under
    /// [`MaintenanceRule::LostCapacity`]. O(the masked nodes' arcs).
    fn lost_capacity(&self, masked: &[u64]) -> Vec<u32> {
        let mut lost = vec![0u32; self.node_count()];
        for (w, &word) in masked.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let m = w * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let Ok(m) = u32::try_from(m) else { break };
                let (lo, hi) = self.forward.range(m);
                let targets = self.forward.cols.get(lo..hi).unwrap_or(&[]);
                let arc_bits = self.bits.get(lo..hi).unwrap_or(&[]);
                for (&v, &a) in targets.iter().zip(arc_bits) {
                    if a & crate::builder::ARC_MEMBER != 0 && bit(&self.groups, v as usize) {
                        if let Some(l) = lost.get_mut(v as usize) {
                            *l += self.weight(m, v);
                        }
                    }
                }
            }
        }
        lost
    }

    /// How many simultaneous outages `service` survives: the smallest set of upstream nodes
    /// whose failure takes it down, exact up to `max_size` nodes and within `budget`
    /// impact evaluations (then a lower bound). [`Resilience::Unbreakable`] when the search
    /// covered every set of upstream nodes and none takes it down. Groups are not counted:
    /// their members are.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// use itsm_graph::Resilience;
    ///
    /// assert_eq!(
    ///     graph.resilience("status", 3, 1_000)?,
    ///     Resilience::MinimumSet { size: 2, example: vec!["web-1".into(), "web-2".into()] }
    /// );
    /// // Searching sets of one node only: a lower bound.
    /// assert_eq!(graph.resilience("status", 1, 1_000)?, Resilience::AtLeast { checked: 1 });
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`].
    pub fn resilience(
        &self,
        service: &str,
        max_size: usize,
        budget: usize,
    ) -> Result<Resilience, Error> {
        let target = self.inner_of(self.node(service)?);
        // The pool is walked lazily: a single point of failure near the target ends the
        // search before the rest of the region is listed.
        let mut pool = Upstream::new(self, &[target])
            .filter(|v| self.kind(self.outer_of(*v)) != Some(NodeKind::Group))
            .peekable();
        if pool.peek().is_none() {
            return Ok(Resilience::Unbreakable);
        }
        if max_size == 0 || budget == 0 {
            // Nothing is searched: the answer needs no closure.
            return Ok(Resilience::AtLeast { checked: 0 });
        }
        Ok(Failures::new(self, target).smallest_set(pool, max_size, budget))
    }

    /// Compares the services two scenarios affect (for example, the windows of two planned
    /// changes), each list sorted by id.
    ///
    /// ```
    /// # use itsm_graph::{
    /// #     EdgeSpec, Graph, GraphSpec, GroupSpec, MinUp, NodeKind, NodeSpec, Propagation, RelationSpec,
    /// # };
    /// # let (bs, ci) = (NodeKind::BusinessService, NodeKind::ConfigurationItem);
    /// # let node = |id, kind| NodeSpec::new(id, kind, "ci");
    /// # let graph = Graph::from_spec(&GraphSpec::new(
    /// #     vec![RelationSpec::new("depends_on", Propagation::ToFrom)],
    /// #     vec![
    /// #         node("shop", bs), node("payroll", bs), node("status", bs),
    /// #         node("web-1", ci), node("web-2", ci), node("db", ci), node("san", ci),
    /// #     ],
    /// #     vec![GroupSpec::new("web-farm", &["web-1", "web-2"], MinUp::Count(1))],
    /// #     vec![
    /// #         EdgeSpec::new("shop", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("shop", "db", "depends_on"),
    /// #         EdgeSpec::new("payroll", "db", "depends_on"),
    /// #         EdgeSpec::new("status", "web-farm", "depends_on"),
    /// #         EdgeSpec::new("db", "san", "depends_on"),
    /// #     ],
    /// # ))?;
    /// // shop -> web-farm {web-1, web-2: one must be up}, shop -> db -> san,
    /// // payroll -> db, status -> web-farm; two levels: 1 degraded, 2 outage.
    /// use itsm_graph::Scenario;
    ///
    /// // Patching web-1, or patching the database?
    /// let diff = graph.what_if(&Scenario::outages(&["web-1"]), &Scenario::outages(&["db"]))?;
    /// assert_eq!(diff.only_first, [("status".to_string(), 1)]);
    /// assert_eq!(diff.only_second, [("payroll".to_string(), 2)]);
    /// assert_eq!(diff.changed, [("shop".to_string(), 1, 2)]);
    /// # Ok::<(), itsm_graph::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::UnknownNode`], [`Error::UnknownSeverity`].
    pub fn what_if(&self, first: &Scenario, second: &Scenario) -> Result<WhatIf, Error> {
        let a = self.impact(first)?.services();
        let b = self.impact(second)?.services();
        Ok(WhatIf::between(&a, &b))
    }
}
