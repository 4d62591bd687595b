//! The live event stream over the host's `WebSocket`, as an async iterator. geo-client's
//! [`Subscription`] decides everything: the cursor to connect with, which frames are new verified
//! events, when to renew the token and how long to wait before reconnecting.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use geo_client::policy::{Subscription, SubscriptionStep};
use geo_client::GeoError;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;

use crate::client::Inner;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = WebSocket)]
    type WebSocket;
    #[wasm_bindgen(constructor, js_class = "WebSocket", catch)]
    fn new(url: &str, protocols: js_sys::Array) -> Result<WebSocket, JsValue>;
    #[wasm_bindgen(method, js_class = "WebSocket")]
    fn close(this: &WebSocket);
    #[wasm_bindgen(method, setter, js_class = "WebSocket")]
    fn set_onmessage(this: &WebSocket, f: Option<&Function>);
    #[wasm_bindgen(method, setter, js_class = "WebSocket")]
    fn set_onclose(this: &WebSocket, f: Option<&Function>);
    #[wasm_bindgen(method, setter, js_class = "WebSocket")]
    fn set_onopen(this: &WebSocket, f: Option<&Function>);
    #[wasm_bindgen(method, setter, js_class = "WebSocket")]
    fn set_onerror(this: &WebSocket, f: Option<&Function>);
}

struct State {
    inner: Rc<Inner>,
    sub: Subscription,
    queue: VecDeque<Result<JsValue, JsValue>>,
    waiting: Option<Function>,
    socket: Option<WebSocket>,
    connection: u64,
    /// The last connection whose end was handled: a failed connection may report `error`, then
    /// `close` (browsers), or `error` alone (node's WebSocket), and is handled once.
    ended: u64,
    closed: bool,
    handlers: Vec<Closure<dyn FnMut(JsValue)>>,
}

type Shared = Rc<RefCell<State>>;

/// Events for one participant, resumed from the last delivered id after every reconnect. Use it
/// with `for await (const event of client.events(0))`; `close()` ends it.
#[wasm_bindgen]
pub struct EventStream {
    state: Shared,
}

fn deliver(state: &Shared, item: Result<JsValue, JsValue>) {
    let waiting = state.borrow_mut().waiting.take();
    match waiting {
        Some(resolve) => {
            let _ = resolve.call1(&JsValue::UNDEFINED, &settled(item));
        }
        None => state.borrow_mut().queue.push_back(item),
    }
}

/// `{ok: value}` or `{error: e}`: `next()` turns it into an iterator result or a rejection.
fn settled(item: Result<JsValue, JsValue>) -> JsValue {
    let o = js_sys::Object::new();
    match item {
        Ok(v) => Reflect::set(&o, &"ok".into(), &v),
        Err(e) => Reflect::set(&o, &"error".into(), &e),
    }
    .ok();
    o.into()
}

/// The `GeoEvent` of a frame the subscription accepted (decoded, new, its receipt verified): the
/// frame as the hub sent it, without its `type`, not the decoded event written out again.
fn event_of(frame: &str) -> Result<JsValue, JsValue> {
    let v = js_sys::JSON::parse(frame)?;
    Reflect::delete_property(v.unchecked_ref::<js_sys::Object>(), &"type".into())?;
    Ok(v)
}

fn connect(state: &Shared) {
    let (url, token, id) = {
        let mut s = state.borrow_mut();
        if s.closed {
            return;
        }
        s.connection += 1;
        let token = s.inner.token_now();
        (s.inner.ws_url(&s.sub.path()), token, s.connection)
    };
    let protocols = js_sys::Array::new();
    protocols.push(&"bearer".into());
    if let Some(t) = token {
        protocols.push(&t.into());
    }
    let socket = match WebSocket::new(&url, protocols) {
        Ok(s) => s,
        Err(e) => {
            deliver(
                state,
                Err(crate::error::to_js(GeoError::Transport {
                    message: crate::js::describe(&e),
                })),
            );
            closed(state, id);
            return;
        }
    };
    let on_open = {
        let st = state.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| st.borrow_mut().sub.on_open())
    };
    let on_message = {
        let st = state.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
            let Some(text) = Reflect::get(&e, &"data".into())
                .ok()
                .and_then(|d| d.as_string())
            else {
                return;
            };
            let r = st.borrow_mut().sub.on_text(&text);
            match r {
                Ok(Some(_)) => deliver(&st, event_of(&text)),
                Ok(None) => {}
                Err(e) => deliver(&st, Err(crate::error::to_js(e))),
            }
        })
    };
    let on_close = {
        let st = state.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| closed(&st, id))
    };
    let on_error = {
        let st = state.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| closed(&st, id))
    };
    socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
    socket.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let mut s = state.borrow_mut();
    s.handlers = vec![on_open, on_message, on_close, on_error];
    s.socket = Some(socket);
}

/// The connection `id` ended: the policy says whether to renew and how long to wait.
fn closed(state: &Shared, id: u64) {
    let step = {
        let mut s = state.borrow_mut();
        if s.closed || s.connection != id || s.ended == id {
            return;
        }
        s.ended = id;
        s.socket = None;
        s.sub.on_closed()
    };
    let st = state.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let step = match step {
            SubscriptionStep::Renew => {
                let inner = st.borrow().inner.clone();
                let failed = inner.token_generation();
                let r = inner.renew(failed).await;
                let next = st.borrow_mut().sub.on_renewed(r);
                match next {
                    Ok(step) => step,
                    Err(e) => {
                        deliver(&st, Err(crate::error::to_js(e)));
                        return;
                    }
                }
            }
            s => s,
        };
        if let SubscriptionStep::Reconnect(ms) = step {
            if ms > 0 {
                crate::js::sleep(ms).await;
            }
        }
        connect(&st);
    });
}

impl EventStream {
    pub(crate) fn start(inner: Rc<Inner>, after: u64) -> EventStream {
        let sub = Subscription::new(
            inner.hub.clone(),
            inner.signer.pid(),
            geo_client::EventCursor::after(after),
            geo_client::policy::Backoff {
                attempts: u32::MAX,
                base_ms: 100,
                max_ms: 10_000,
            },
            crate::transport::jitter(),
        );
        let state = Rc::new(RefCell::new(State {
            inner: inner.clone(),
            sub,
            queue: VecDeque::new(),
            waiting: None,
            socket: None,
            connection: 0,
            ended: 0,
            closed: false,
            handlers: Vec::new(),
        }));
        let st = state.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = inner.access_token().await {
                deliver(&st, Err(crate::error::to_js(e)));
                return;
            }
            connect(&st);
        });
        EventStream { state }
    }
}

#[wasm_bindgen]
impl EventStream {
    /// The next event (the async iterator protocol): resolves `{value, done}`; rejects with a
    /// `GeoError` for an unreadable frame or a receipt that does not verify.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<GeoEvent, undefined>>")]
    pub fn next(&self) -> Promise {
        let state = self.state.clone();
        let item = state.borrow_mut().queue.pop_front();
        let closed = state.borrow().closed;
        let settledp = match item {
            Some(i) => Promise::resolve(&settled(i)),
            None if closed => Promise::resolve(&JsValue::NULL),
            None => Promise::new(&mut |resolve, _| state.borrow_mut().waiting = Some(resolve)),
        };
        wasm_bindgen_futures::future_to_promise(async move {
            let v = wasm_bindgen_futures::JsFuture::from(settledp).await?;
            let r = js_sys::Object::new();
            if v.is_null() {
                Reflect::set(&r, &"done".into(), &true.into())?;
                return Ok(r.into());
            }
            let err = Reflect::get(&v, &"error".into())?;
            if !err.is_undefined() {
                return Err(err);
            }
            Reflect::set(&r, &"done".into(), &false.into())?;
            Reflect::set(&r, &"value".into(), &Reflect::get(&v, &"ok".into())?)?;
            Ok(r.into())
        })
    }

    /// The id of the last delivered event (resume after it).
    #[wasm_bindgen(getter)]
    pub fn position(&self) -> f64 {
        self.state.borrow().sub.position() as f64
    }

    /// Drops the current connection as a network failure would: the stream reconnects and
    /// resumes after `position` (for tests and for "reconnect now" buttons).
    #[wasm_bindgen(js_name = dropConnection)]
    pub fn drop_connection(&self) {
        if let Some(s) = self.state.borrow().socket.as_ref() {
            s.close();
        }
    }

    /// Ends the stream: pending and later `next()` calls resolve `done`.
    pub fn close(&self) {
        let (socket, waiting) = {
            let mut s = self.state.borrow_mut();
            s.closed = true;
            (s.socket.take(), s.waiting.take())
        };
        if let Some(s) = socket {
            s.close();
        }
        if let Some(resolve) = waiting {
            let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::NULL);
        }
    }

    /// `return()` of the async iterator protocol (a `break` out of `for await`): closes.
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<GeoEvent, undefined>>"
    )]
    pub fn return_(&self) -> Promise {
        self.close();
        let r = js_sys::Object::new();
        let _ = Reflect::set(&r, &"done".into(), &true.into());
        Promise::resolve(&JsValue::from(r))
    }
}
