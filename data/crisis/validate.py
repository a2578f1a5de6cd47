import json, sys, collections
LEVELS=["none","low","moderate","high","imminent"]
CATS={"suicidal","self_harm","eating_disorder","harm_others","abuse","medical","third_party","distress","none"}
RUNGS=set("wish_dead active_thoughts method intent plan preparation act_in_progress ingestion medical_emergency self_harm_urge self_harm_act eating_disorder abuse_disclosure child_abuse_disclosure coercive_control threat_to_life harm_others_thoughts harm_others_threat third_party_concern third_party_emergency burdensomeness hopelessness distress past_resolved denial none".split())
STYLES={"explicit","indirect","slang","compositional","multi_turn","everyday"}
NEG={None,"negated","third_person_news","past_resolved","fiction","research","news","idiom","homonym","everyday","neutral_means_question","ordinary_distress","helper","hyperbole"}
ok=True; ids=set(); c=collections.Counter(); r=collections.Counter(); n=0; texts=set()
for path in sys.argv[1:]:
  for i,l in enumerate(open(path,encoding='utf-8'),1):
    if not l.strip(): continue
    try: d=json.loads(l)
    except Exception as e: print(f"{path}:{i}: bad json {e}"); ok=False; continue
    def bad(m):
        global ok; ok=False; print(f"{path}:{i}: {m}")
    if d.get("id") in ids: bad("duplicate id")
    ids.add(d.get("id"))
    if not d.get("family"): bad("no family")
    has_t="text" in d; has_turns="turns" in d
    if has_t==has_turns: bad("need exactly one of text/turns")
    if has_turns and (not isinstance(d["turns"],list) or len(d["turns"])<2 or not all(isinstance(t,str) and t.strip() for t in d["turns"])): bad("turns must be >=2 non-empty strings")
    if has_t and not (isinstance(d["text"],str) and d["text"].strip()): bad("empty text")
    key=json.dumps(d.get("turns") or d.get("text"))
    if key in texts: bad("duplicate text")
    texts.add(key)
    if d.get("category") not in CATS: bad(f"category {d.get('category')}")
    if d.get("rung") not in RUNGS: bad(f"rung {d.get('rung')}")
    if d.get("style") not in STYLES: bad(f"style {d.get('style')}")
    if d.get("negative","MISSING") not in NEG: bad(f"negative {d.get('negative')}")
    if d.get("min") not in LEVELS or d.get("max") not in LEVELS or LEVELS.index(d["min"])>LEVELS.index(d["max"]): bad("bad band")
    n+=1; c[d.get("category")]+=1; r[d.get("rung")]+=1
print("lines",n,"ok" if ok else "ERRORS"); print(dict(c)); print(dict(r))
