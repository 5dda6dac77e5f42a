// The frame of every page: a skip link, the site's navigation, the page.
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useMe, useSessionContext } from '../auth/session-context.tsx';

export function Layout() {
  const { session, signOut } = useSessionContext();
  const { me } = useMe();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <NavLink to="/" className="brand" aria-label="Airline, search flights">
          <span aria-hidden="true">✈</span> Airline
        </NavLink>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink to="/" end>
                Search
              </NavLink>
            </li>
            {session && (
              <li>
                <NavLink to="/bookings" end>
                  My bookings
                </NavLink>
              </li>
            )}
            {me?.role === 'AGENT' && (
              <li>
                <NavLink to="/agent">Agent</NavLink>
              </li>
            )}
            <li>
              <NavLink to="/explorer">Explorer</NavLink>
            </li>
            {session ? (
              <li className="account">
                <span className="account-name">{me?.name ?? 'Signed in'}</span>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    signOut();
                    void navigate('/');
                  }}
                >
                  Log out
                </button>
              </li>
            ) : (
              <>
                <li>
                  <NavLink to="/login">Log in</NavLink>
                </li>
                <li>
                  <NavLink to="/register">Register</NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
