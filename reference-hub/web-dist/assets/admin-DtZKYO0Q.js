const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["assets/shared-CKc3Kxxz.js","assets/shared-a6348mpB.css"])))=>i.map(i=>d[i]);
import{m as se,_ as oe,d as g,h as O,F as T,M as R,t as r,a as f,e as k,s as H,R as ce,u as de,L as _e,O as le}from"./shared-CKc3Kxxz.js";class K{__destroy_into_raw(){const e=this.__wbg_ptr;return this.__wbg_ptr=0,Q.unregister(this),e}free(){const e=this.__destroy_into_raw();s.__wbg_adminclient_free(e,0)}clearings(e){var i=v(e)?0:y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),t=h;return s.adminclient_clearings(this.__wbg_ptr,i,t)}integrity(){return s.adminclient_integrity(this.__wbg_ptr)}constructor(e,i){let t,a,c,o;try{t=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),a=h,c=y(i,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h}catch(d){throw c&&s.__wbindgen_free(c,o*1,1),t&&s.__wbindgen_free(t,a*1,1),d}const _=s.adminclient_new(t,a,c,o);return this.__wbg_ptr=_,Q.register(this,this.__wbg_ptr,this),this}participants(e,i){const t=+(v(i)?Number.MAX_SAFE_INTEGER:i>>>0),a=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),c=h;return s.adminclient_participants(this.__wbg_ptr,a,c,t)}runClearing(e){const i=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),t=h;return s.adminclient_runClearing(this.__wbg_ptr,i,t)}setEquivalent(e,i,t){const a=+i;let c,o,_,d;try{c=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h,_=v(t)?0:y(t,s.__wbindgen_malloc,s.__wbindgen_realloc),d=h}catch(w){throw _&&s.__wbindgen_free(_,d*1,1),c&&s.__wbindgen_free(c,o*1,1),w}return s.adminclient_setEquivalent(this.__wbg_ptr,c,o,a,_,d)}setStatus(e,i,t){let a,c,o,_,d,m;try{a=y(e,s.__wbindgen_malloc,s.__wbindgen_realloc),c=h,o=y(i,s.__wbindgen_malloc,s.__wbindgen_realloc),_=h,d=v(t)?0:y(t,s.__wbindgen_malloc,s.__wbindgen_realloc),m=h}catch(b){throw d&&s.__wbindgen_free(d,m*1,1),o&&s.__wbindgen_free(o,_*1,1),a&&s.__wbindgen_free(a,c*1,1),b}return s.adminclient_setStatus(this.__wbg_ptr,a,c,o,_,d,m)}stats(){return s.adminclient_stats(this.__wbg_ptr)}}Symbol.dispose&&(K.prototype[Symbol.dispose]=K.prototype.free);function ue(){return{__proto__:null,"./geo_admin_bg.js":{__proto__:null,__wbg___wbindgen_is_function_741ff2bb612836f5:function(e){return typeof e=="function"},__wbg___wbindgen_is_null_c22311b1cc228e3a:function(e){return e===null},__wbg___wbindgen_is_object_8b968c3ab8e96595:function(e){const i=e;return typeof i=="object"&&i!==null},__wbg___wbindgen_is_string_fc456fee5d3317de:function(e){return typeof e=="string"},__wbg___wbindgen_is_undefined_be5b34249ff1fc15:function(e){return e===void 0},__wbg___wbindgen_number_get_934b640d0889af78:function(e,i){const t=i,a=typeof t=="number"?t:void 0;P().setFloat64((e>>>0)+8,v(a)?0:a,!0),P().setInt32((e>>>0)+0,!v(a),!0)},__wbg___wbindgen_string_get_7ce8eee7fd327545:function(e,i){const t=i,a=typeof t=="string"?t:void 0;var c=v(a)?0:y(a,s.__wbindgen_malloc,s.__wbindgen_realloc),o=h;P().setInt32((e>>>0)+4,o,!0),P().setInt32((e>>>0)+0,c,!0)},__wbg___wbindgen_throw_4c88d8bf264fd984:function(e,i){throw new Error(q(e,i))},__wbg__wbg_cb_unref_09736879a3f67559:function(e){e._wbg_cb_unref()},__wbg_abort_6318b3b6a6cea89f:function(e){e.abort()},__wbg_call_40b008ba32f73991:function(){return E(function(e,i){return e.call(i)},arguments)},__wbg_call_a410eb4b59ed5965:function(){return E(function(e,i,t){return e.call(i,t)},arguments)},__wbg_clearTimeout_311a36965f7cb207:function(e){clearTimeout(e)},__wbg_crypto_23f565a907d30078:function(e){return e.crypto},__wbg_fetch_a3fffec815a91fd7:function(e,i,t){return fetch(q(e,i),t)},__wbg_getRandomValues_d2908e0b99612b91:function(){return E(function(e,i){e.getRandomValues(i)},arguments)},__wbg_get_2080c49015e35254:function(){return E(function(e,i){return Reflect.get(e,i)},arguments)},__wbg_instanceof_Promise_59148c6049d0e3a0:function(e){let i;try{i=e instanceof Promise}catch{i=!1}return i},__wbg_length_186163212ffe79c3:function(e){return e.length},__wbg_makeError_0b043b063cf87276:function(e,i,t,a,c,o,_,d){let m;return _!==0&&(m=q(_,d),s.__wbindgen_free(_,d*1,1)),se(q(e,i),q(t,a),c!==0,o===16777215?void 0:o,m)},__wbg_msCrypto_d5f06fad6bf1409b:function(e){return e.msCrypto},__wbg_new_0f5cd2e5be627dfe:function(){return new AbortController},__wbg_new_ba40181b3f24ac80:function(e,i){try{var t={a:e,b:i},a=(o,_)=>{const d=t.a;t.a=0;try{return J(d,t.b,o,_)}finally{t.a=d}};return new Promise(a)}finally{t.a=0}},__wbg_new_cd4348290afae586:function(){return new Object},__wbg_new_typed_e09da9dae6ee5935:function(e,i){try{var t={a:e,b:i},a=(o,_)=>{const d=t.a;t.a=0;try{return J(d,t.b,o,_)}finally{t.a=d}};return new Promise(a)}finally{t.a=0}},__wbg_new_with_length_01b143a7e5dd5a3e:function(e){return new Uint8Array(e>>>0)},__wbg_node_86166ff8ce1f2002:function(e){return e.node},__wbg_parse_c3f72b5a24f83c01:function(){return E(function(e,i){return JSON.parse(q(e,i))},arguments)},__wbg_process_91f425a63f58e399:function(e){return e.process},__wbg_prototypesetcall_13162965d1fe7aa3:function(e,i,t){Uint8Array.prototype.set.call(ee(e,i),t)},__wbg_queueMicrotask_1e8503a8a690f0a3:function(e){return e.queueMicrotask},__wbg_queueMicrotask_4a1a4d8dd332373b:function(e){queueMicrotask(e)},__wbg_randomFillSync_34b023059e3363de:function(){return E(function(e,i){e.randomFillSync(i)},arguments)},__wbg_require_9a7d8cc2e1d275c0:function(){return E(function(){return module.require},arguments)},__wbg_resolve_dbf78ab4942478b0:function(e){return Promise.resolve(e)},__wbg_setTimeout_5fc522e365c06b33:function(e,i){return setTimeout(e,i)},__wbg_set_2793479888329cb6:function(){return E(function(e,i,t){return Reflect.set(e,i,t)},arguments)},__wbg_signal_33d7feb0f6d46e4a:function(e){return e.signal},__wbg_static_accessor_GLOBAL_THIS_003ee833af9699fc:function(){const e=typeof globalThis>"u"?void 0:globalThis;return v(e)?0:M(e)},__wbg_static_accessor_GLOBAL_e4293fb22cbe77da:function(){const e=typeof global>"u"?void 0:global;return v(e)?0:M(e)},__wbg_static_accessor_SELF_53bb20457401453d:function(){const e=typeof self>"u"?void 0:self;return v(e)?0:M(e)},__wbg_static_accessor_WINDOW_b5e0810bfecb7feb:function(){const e=typeof window>"u"?void 0:window;return v(e)?0:M(e)},__wbg_subarray_58f388a9247ac0bb:function(e,i,t){return e.subarray(i>>>0,t>>>0)},__wbg_then_656f253a5dd7d8ea:function(e,i,t){return e.then(i,t)},__wbg_then_e3f7f2d365708be8:function(e,i){return e.then(i)},__wbg_versions_6e128a981b0df859:function(e){return e.versions},__wbindgen_generic_0000000000000001:function(e,i){return te(e,i,be)},__wbindgen_generic_0000000000000002:function(e,i){return te(e,i,fe)},__wbindgen_generic_0000000000000003:function(e,i){return ee(e,i)},__wbindgen_generic_0000000000000004:function(e,i){return q(e,i)},__wbindgen_init_externref_table:function(){const e=s.__wbindgen_externrefs;e.set(0,void 0),e.set(1024,void 0),e.set(1025,null),e.set(1026,!0),e.set(1027,!1)}}}}function fe(n,e){s.wasm_bindgen__convert__closures_____invoke__ha0bb6a4904b6eb4a(n,e)}function be(n,e,i){const t=s.wasm_bindgen__convert__closures_____invoke__h682a798649e7bfb0(n,e,i);if(t[1])throw me(t[0])}function J(n,e,i,t){s.wasm_bindgen__convert__closures_____invoke__h6acbfc81998bd6cc(n,e,i,t)}const Q=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(n=>s.__wbg_adminclient_free(n,1));function M(n){const e=s.__externref_table_alloc();return s.__wbindgen_externrefs.set(e,n),e}const Z=typeof FinalizationRegistry>"u"?{register:()=>{},unregister:()=>{}}:new FinalizationRegistry(n=>s.__wbindgen_destroy_closure(n.a,n.b));function ee(n,e){return n=n>>>0,D().subarray(n/1,n/1+e)}let S=null;function P(){return(S===null||S.buffer.detached===!0||S.buffer.detached===void 0&&S.buffer!==s.memory.buffer)&&(S=new DataView(s.memory.buffer)),S}function q(n,e){return n=n>>>0,pe(D().subarray(n,n+e))}let x=null;function D(){return(x===null||x.byteLength===0)&&(x=new Uint8Array(s.memory.buffer)),x}function E(n,e){try{return n.apply(this,e)}catch(i){const t=M(i);s.__wbindgen_exn_store(t)}}function v(n){return n==null}function te(n,e,i){const t={a:n,b:e,cnt:1},a=(...c)=>{t.cnt++;const o=t.a;t.a=0;try{return i(o,t.b,...c)}finally{t.a=o,a._wbg_cb_unref()}};return a._wbg_cb_unref=()=>{--t.cnt===0&&(s.__wbindgen_destroy_closure(t.a,t.b),t.a=0,Z.unregister(t))},Z.register(a,t,t),a}function y(n,e,i){if(i===void 0){const _=L.encode(n),d=e(_.length,1)>>>0;return D().subarray(d,d+_.length).set(_),h=_.length,d}let t=n.length,a=e(t,1)>>>0;const c=D();let o=0;for(;o<t;o++){const _=n.charCodeAt(o);if(_>127)break;c[a+o]=_}if(o!==t){o!==0&&(n=n.slice(o)),a=i(a,t,t=o+n.length*3,1)>>>0;const _=D().subarray(a+o,a+t),d=L.encodeInto(n,_);o+=d.written,a=i(a,t,o,1)>>>0}return h=o,a}function me(n){const e=s.__wbindgen_externrefs.get(n);return s.__externref_table_dealloc(n),e}let U=new TextDecoder("utf-8",{ignoreBOM:!0});U.decode();const ge=2146435072;let z=0;function pe(n){return z+=n.length,z>=ge&&(U=new TextDecoder("utf-8",{ignoreBOM:!0}),U.decode(),z=n.length),U.decode(n)}const L=new TextEncoder;"encodeInto"in L||(L.encodeInto=function(n,e){const i=L.encode(n);return e.set(i),{read:n.length,written:i.length}});let h=0,s;function we(n,e){return s=n.exports,S=null,x=null,s.__wbindgen_start(),s}async function $e(n,e){if(typeof Response=="function"&&n instanceof Response){if(!n.ok)throw new Error(`failed to fetch Wasm: ${n.status} ${n.statusText} fetching '${n.url}'`);if(typeof WebAssembly.instantiateStreaming=="function")try{return await WebAssembly.instantiateStreaming(n,e)}catch(a){if(i(n.type)&&n.headers.get("Content-Type")!=="application/wasm")console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n",a);else throw a}const t=await n.arrayBuffer();return await WebAssembly.instantiate(t,e)}else{const t=await WebAssembly.instantiate(n,e);return t instanceof WebAssembly.Instance?{instance:t,module:n}:t}function i(t){switch(t){case"basic":case"cors":case"default":return!0}return!1}}let F;async function ne(n){return s!==void 0?s:(F===void 0&&(F=he(n),F.catch(()=>{F=void 0})),F)}async function he(n){n!==void 0&&(Object.getPrototypeOf(n)===Object.prototype?{module_or_path:n}=n:console.warn("using deprecated parameters for the initialization function; pass a single object instead")),n===void 0&&(n=new URL("/assets/geo_admin_bg-DP5Mu-Wj.wasm",import.meta.url));const e=ue();(typeof n=="string"||typeof Request=="function"&&n instanceof Request||typeof URL=="function"&&n instanceof URL)&&(n=fetch(n));const{instance:i,module:t}=await $e(await n,e);return we(i)}const G=new URL("/assets/geo_admin_bg-DP5Mu-Wj.wasm",import.meta.url);if(typeof process<"u"&&process.versions&&process.versions.node&&G.protocol==="file:"){const{readFile:n}=await oe(async()=>{const{readFile:e}=await import("./shared-CKc3Kxxz.js").then(i=>i.b);return{readFile:e}},__vite__mapDeps([0,1]));await ne({module_or_path:await n(G)})}else await ne({module_or_path:G});const N="geo.admin.token",X=new EventTarget,A={client:null,path:location.pathname};let B=0;function V(){B+=1,X.dispatchEvent(new Event("change"))}function C(){const[n,e]=g(B);return O(()=>{const i=()=>e(B);return X.addEventListener("change",i),B!==n&&i(),()=>X.removeEventListener("change",i)},[]),A}async function ie(n){const e=new K(location.origin,n);await e.integrity(),sessionStorage.setItem(N,n),A.client=e,V()}async function ye(){const n=sessionStorage.getItem(N);if(n)try{await ie(n)}catch{sessionStorage.removeItem(N)}}function ve(){sessionStorage.removeItem(N),A.client=null,V()}function ke(n){n!==A.path&&history.pushState(null,"",n),A.path=n,V()}addEventListener("popstate",()=>{A.path=location.pathname,V()});async function re(){const n=await fetch("/api/v1/equivalents");if(!n.ok)throw new Error(`HTTP ${n.status}`);return n.json()}function Ee(){const[n,e]=g(""),[i,t]=g(""),[a,c]=g(!1);return f`<form class="card" onSubmit=${async _=>{if(_.preventDefault(),!n.trim())return t(r("admin.token_needed"));c(!0),t("");try{await ie(n.trim())}catch(d){t(k(d)),c(!1)}}} data-testid="sign-in">
    <h1>${r("admin.sign_in")}</h1>
    <p class="note">${r("admin.token_where")}</p>
    <${T} id="admin-token" label=${r("admin.token")}>
      <input id="admin-token" type="password" autocomplete="off" value=${n} onInput=${_=>e(_.currentTarget.value)} />
    <//>
    <${R} kind="error">${i}<//>
    <button type="submit" disabled=${a}>${a?r("working"):r("admin.enter")}</button>
  </form>`}const qe=5e3,ae=60;function Se(n){const e=[];for(let i=1;i<n.length;i++){const t=n[i].at-n[i-1].at,a=n[i].committed-n[i-1].committed;e.push(t>0?Math.round(a*6e4/t):0)}return e}function Te({values:n}){const t=Math.max(1,...n),a=n.map((c,o)=>`${o*300/Math.max(1,ae-2)},${80-c*80/t}`).join(" ");return f`<svg class="chart" viewBox=${"0 0 300 80"} role="img" aria-label=${r("admin.chart_label",{n:n[n.length-1]??0})}>
    <polyline points=${a} class="line" />
  </svg>`}function Re(){const n=C(),[e,i]=g(null),[t,a]=g([]),[c,o]=g(""),_=typeof n.client.stats=="function";if(O(()=>{if(!_)return;let m=!0,w=[];const b=async()=>{try{const p=await n.client.stats();if(!m)return;w=[...w,{at:Date.now(),committed:p.payments_committed}].slice(-ae),i(p),a(w),o("")}catch(p){m&&o(k(p))}};b();const $=setInterval(b,qe);return()=>{m=!1,clearInterval($)}},[]),!_)return f`<section><h1>${r("admin.figures")}</h1><p class="card">${r("admin.stats_unsupported")}</p></section>`;const d=Se(t);return f`<section data-testid="figures">
    <h1>${r("admin.figures")}</h1>
    <${R} kind="error">${c}<//>
    ${e&&f`<div class="grid">
      <div class="card">
        <h2>${r("admin.payments_per_minute")}</h2>
        <p class="big" data-testid="per-minute">${d.length?d[d.length-1]:"…"}</p>
        <${Te} values=${d} />
        <dl>
          <dt>${r("admin.committed")}</dt><dd data-testid="committed">${e.payments_committed}</dd>
          <dt>${r("admin.aborted")}</dt><dd>${e.payments_aborted}</dd>
          <dt>${r("admin.open_holds")}</dt><dd>${e.open_holds}</dd>
          <dt>${r("admin.journal")}</dt><dd>${e.journal_length}</dd>
        </dl>
      </div>
      <div class="card">
        <h2>${r("admin.participants")}</h2>
        <dl>
          <dt>${r("admin.status_active")}</dt><dd data-testid="active">${e.participants.active}</dd>
          <dt>${r("admin.status_suspended")}</dt><dd data-testid="suspended">${e.participants.suspended}</dd>
          <dt>${r("admin.status_left")}</dt><dd>${e.participants.retired}</dd>
        </dl>
      </div>
      ${e.equivalents.map(m=>f`<div class="card" key=${m.equivalent} data-testid="equivalent-figures">
        <h2>${m.equivalent}</h2>
        <dl>
          <dt>${r("admin.debt_outstanding")}</dt><dd data-testid="debt-outstanding">${m.debt_outstanding}</dd>
          <dt>${r("admin.cleared_to_date")}</dt><dd data-testid="cleared-to-date">${m.cleared_to_date}</dd>
          <dt>${r("admin.committed")}</dt><dd>${m.payments_committed}</dd>
        </dl>
      </div>`)}
    </div>`}
  </section>`}const Ie=/^[A-Z0-9]{2,16}$/;function Ae(){const n=C(),[e,i]=g([]),[t,a]=g(""),[c,o]=g("2"),[_,d]=g(""),[m,w]=g({}),[b,$]=g(null),p=()=>re().then(i,u=>$({kind:"error",text:k(u)}));O(()=>{p()},[]);const I=async u=>{u.preventDefault();const j={};if(Ie.test(t)||(j.code=r("admin.code_rule")),/^[0-8]$/.test(c)||(j.precision=r("admin.precision_rule")),w(j),$(null),!Object.keys(j).length)try{const W=await n.client.setEquivalent(t,Number(c),_||void 0);$({kind:"ok",text:r("admin.equivalent_saved",{code:W.code,precision:W.precision})}),a(""),d(""),p()}catch(W){$({kind:"error",text:k(W)})}},l=u=>{a(u.code),o(String(u.precision)),d(u.description||"")};return f`<section data-testid="equivalents">
    <h1>${r("admin.equivalents")}</h1>
    <${R} kind=${b?.kind} testid="equivalent-message">${b?.text}<//>
    <form class="card" onSubmit=${I} novalidate>
      <h2>${r("admin.equivalent_form")}</h2>
      <${T} id="eq-code" label=${r("admin.code")} hint=${r("admin.code_rule")} error=${m.code}>
        <input id="eq-code" autocomplete="off" autocapitalize="characters" value=${t} onInput=${u=>a(u.currentTarget.value.trim().toUpperCase())} aria-describedby="eq-code-hint" />
      <//>
      <${T} id="eq-precision" label=${r("admin.precision")} hint=${r("admin.precision_rule")} error=${m.precision}>
        <input id="eq-precision" inputmode="numeric" value=${c} onInput=${u=>o(u.currentTarget.value.trim())} aria-describedby="eq-precision-hint" />
      <//>
      <${T} id="eq-desc" label=${r("admin.description")}>
        <input id="eq-desc" value=${_} onInput=${u=>d(u.currentTarget.value)} />
      <//>
      <button type="submit">${r("admin.save_activate")}</button>
    </form>
    <table class="card">
      <caption>${r("admin.equivalents")}</caption>
      <thead><tr><th scope="col">${r("admin.code")}</th><th scope="col">${r("admin.precision")}</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${e.map(u=>f`<tr key=${u.code} data-testid="equivalent-row">
          <td>${u.code}${u.description?f` <small>${u.description}</small>`:""}</td>
          <td>${u.precision}</td>
          <td>${u.active?r("admin.active"):r("admin.inactive")}</td>
          <td><button class="secondary" onClick=${()=>l(u)}>${r("admin.edit")}</button></td>
        </tr>`)}
      </tbody>
    </table>
  </section>`}function Ce(){const n=C(),[e,i]=g(""),[t,a]=g(""),[c,o]=g(null),[_,d]=g(null),m=async b=>{b?.preventDefault(),d(null);try{o(await n.client.participants(e.trim(),50))}catch($){d({kind:"error",text:k($)})}},w=async(b,$)=>{d(null);try{const p=await n.client.setStatus(b.pid,$,t||void 0);o(c.map(I=>I.pid===p.pid?p:I)),d({kind:"ok",text:r("admin.status_set",{name:p.display_name,status:r("admin.status_"+p.status)})})}catch(p){d({kind:"error",text:k(p)})}};return f`<section data-testid="participants">
    <h1>${r("admin.participants")}</h1>
    <form class="card" onSubmit=${m}>
      <${T} id="member-q" label=${r("admin.find_member")} hint=${r("admin.find_hint")}>
        <input id="member-q" autocomplete="off" spellcheck=${!1} value=${e} onInput=${b=>i(b.currentTarget.value)} aria-describedby="member-q-hint" />
      <//>
      <button type="submit">${r("picker.search")}</button>
      <${T} id="member-reason" label=${r("admin.reason")}>
        <input id="member-reason" value=${t} onInput=${b=>a(b.currentTarget.value)} />
      <//>
    </form>
    <${R} kind=${_?.kind} testid="participant-message">${_?.text}<//>
    ${c&&c.length===0&&f`<p class="card">${r("admin.no_members")}</p>`}
    ${c&&c.length>0&&f`<table class="card">
      <caption>${r("admin.participants")}</caption>
      <thead><tr><th scope="col">${r("register.name")}</th><th scope="col">PID</th><th scope="col">${r("admin.state")}</th><th scope="col"><span class="sr-only">${r("admin.actions")}</span></th></tr></thead>
      <tbody>
        ${c.map(b=>f`<tr key=${b.pid} data-testid="member">
          <td>${b.display_name}</td>
          <td><code title=${b.pid}>${H(b.pid)}</code></td>
          <td data-testid="member-status">${r("admin.status_"+b.status)}</td>
          <td>${b.status==="active"?f`<button class="danger" onClick=${()=>w(b,"suspended")}>${r("admin.suspend")}</button>`:b.status==="suspended"?f`<button onClick=${()=>w(b,"active")}>${r("admin.reactivate")}</button>`:""}</td>
        </tr>`)}
      </tbody>
    </table>`}
  </section>`}function Fe(){const n=C(),[e,i]=g([]),[t,a]=g(""),[c,o]=g([]),[_,d]=g(""),[m,w]=g(null),[b,$]=g("");O(()=>{re().then(l=>{i(l),l[0]&&a(l[0].code)})},[]);const p=async()=>{if(t){$("");try{w(await n.client.clearings(t))}catch(l){w(null),$(l&&l.code==="E_INVALID_SIGNATURE"?`${r("admin.receipt_refused")} (${l.message})`:k(l))}}};O(()=>{p()},[t]);const I=async l=>{l.preventDefault(),d("");try{const u=await n.client.runClearing(t);o([{...u,at:new Date().toLocaleTimeString()},...c]),await p()}catch(u){d(k(u))}};return f`<section data-testid="clearing-runs">
    <h1>${r("admin.clearing")}</h1>
    <form class="card" onSubmit=${I}>
      <${T} id="run-eq" label=${r("equivalent")}>
        <select id="run-eq" value=${t} onChange=${l=>a(l.currentTarget.value)}>
          ${e.map(l=>f`<option value=${l.code}>${l.code}</option>`)}
        </select>
      <//>
      <button type="submit" disabled=${!t}>${r("admin.run_now")}</button>
    </form>
    <${R} kind="error">${_}<//>
    <ul>
      ${c.map((l,u)=>f`<li class="card" key=${u} data-testid="run">
        <strong>${l.at} · ${l.equivalent}</strong>:
        ${l.cleared?r("admin.run_cleared",{total:l.total,n:l.debts_reduced}):l.proposal?r("admin.run_proposed",{id:l.proposal}):r("admin.run_nothing")}
        ${l.clearing_id&&f`<div><small class="mono">${l.clearing_id}</small></div>`}
      </li>`)}
    </ul>
    <h2>${r("admin.applied")}</h2>
    <button type="button" class="secondary" onClick=${p} disabled=${!t}>${r("admin.refresh")}</button>
    <${R} kind="error" testid="receipts-refused">${b}<//>
    ${m&&m.length===0&&f`<p>${r("admin.applied_none")}</p>`}
    <ul>
      ${(m||[]).map(l=>f`<li class="card" key=${l.clearing_id} data-testid="clearing">
        <strong>${new Date(l.at).toLocaleString()}</strong>:
        <span data-testid="cleared-total">${r("admin.cleared_total",{total:l.receipt.payload.total,equivalent:l.equivalent,n:l.edges.length})}</span>
        <p class="message ok" data-testid="receipt-verified">${r("admin.receipt_verified",{seq:l.journal_seq})}</p>
        <details>
          <summary>${r("admin.set_offs")}</summary>
          <ul class="edges">
            ${l.edges.map(u=>f`<li key=${u.debtor+u.creditor}>
              <code title=${u.debtor}>${H(u.debtor)}</code> → <code title=${u.creditor}>${H(u.creditor)}</code>: ${u.amount}
            </li>`)}
          </ul>
          <small class="mono">${l.clearing_id}</small>
        </details>
      </li>`)}
    </ul>
  </section>`}function Me(){const n=C(),[e,i]=g(null),[t,a]=g(""),[c,o]=g(!1),_=async()=>{o(!0),a("");try{i(await n.client.integrity())}catch(d){a(k(d))}o(!1)};return f`<section data-testid="integrity">
    <h1>${r("admin.integrity")}</h1>
    <div class="card">
      <p class="note">${r("admin.integrity_explain")}</p>
      <button onClick=${_} disabled=${c}>${c?r("working"):r("admin.check")}</button>
    </div>
    <${R} kind="error">${t}<//>
    ${e&&f`<div class="card ${e.status==="ok"?"ok":"failed"}" data-testid="integrity-report">
      <p><strong>${e.status==="ok"?r("admin.integrity_ok"):r("admin.integrity_bad")}</strong></p>
      <p>${r("admin.journal_entries",{n:e.journal_entries})}</p>
      ${e.head_hash&&f`<p><small class="mono">${e.head_hash}</small></p>`}
      ${e.problems.length>0&&f`<ul>${e.problems.map(d=>f`<li>${d}</li>`)}</ul>`}
    </div>`}
  </section>`}const Y=[["/admin","admin.figures",Re],["/admin/equivalents","admin.equivalents",Ae],["/admin/participants","admin.participants",Ce],["/admin/clearing","admin.clearing",Fe],["/admin/integrity","admin.integrity",Me]];function xe(){de();const n=C(),e=n.path.replace(/\/$/,"")||"/admin",i=Y.find(([t])=>t===e)||Y[0];return f`<div class="app admin ${n.client?"with-nav":""}">
    <a class="skip" href="#main">${r("skip")}</a>
    <header>
      <span class="brand" aria-hidden="true">GEO</span>
      <span class="title">${r("app.console")}</span>
      <${_e} />
      ${n.client&&f`<button class="link" onClick=${ve}>${r("admin.sign_out")}</button>`}
    </header>
    <${le} />
    ${n.client&&f`<nav aria-label=${r("nav.label")}><ul>
      ${Y.map(([t,a])=>f`<li key=${t}><a href=${t} aria-current=${t===i[0]?"page":void 0}
        onClick=${c=>{c.preventDefault(),ke(t)}}>${r(a)}</a></li>`)}
    </ul></nav>`}
    <main id="main" tabindex="-1">
      ${n.client?f`<${i[2]} key=${i[0]} />`:f`<${Ee} />`}
    </main>
  </div>`}ce(f`<${xe} />`,document.getElementById("app"));ye().finally(()=>De());function De(){performance.mark("interactive"),document.body.setAttribute("data-ready","1")}
